package io.tsuzuku.systemtests.model;

import io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor.Payment;
import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.domain.FailureClass;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.status.application.RefundOwed;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.schemas.AttemptBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the services must agree on once a history has settled (docs/ledger.md, "Who decides
 * what"), judged from sources that share no store: the processor's own ledger and requests,
 * billing's book, the retry-service's jobs, the status-service's contracts and refunds owed, and
 * the crm-sync-service's mirror.
 */
final class ModelChecks {

  /** More than the services' clocks can differ: a payment this long after a cancellation was taken after it. */
  private static final Duration CLOCKS_APART = Duration.ofSeconds(5);

  private ModelChecks() {}

  static List<String> violations(CrossServiceModel model) {
    var violations = new ArrayList<String>();
    model.bus.heads().forEach(head -> violations.add(head.group() + " cannot read " + head.record().getClass().getSimpleName()
        + " of " + head.key() + " on " + head.topic() + ": " + model.lastFailures.get(head)));
    violations.addAll(model.deadLettered);
    violations.addAll(model.bulkStrayed);
    model.contracts.keySet().forEach(contractId -> agreement(model, contractId, violations));
    money(model, violations);
    neverAfterAHardDecline(model, violations);
    withinEachCardsBudget(model, violations);
    return violations;
  }

  /** One status everywhere, no attempt left unknown, and the liveness rule. */
  private static void agreement(CrossServiceModel model, String contractId, List<String> violations) {
    var shown = model.shown(contractId);
    var billed = model.billed(contractId);
    if (shown == null || billed == null || !billed.registered()) {
      violations.add(contractId + " is not registered everywhere: status " + shown + ", billing " + billed);
      return;
    }
    if (billed.isCancelled() != (shown.status() == Status.CANCELLED) || !billed.status().name().equals(shown.status().name())) {
      violations.add(contractId + ": billing has it " + billed.status() + " but the status-service shows " + shown.status());
    }
    var mirrored = model.mirror.latest.get(contractId);
    if (mirrored == null || mirrored.version() != shown.version() || !mirrored.status().name().equals(shown.status().name())) {
      violations.add(contractId + ": the CRM mirror has " + mirrored + " but the status-service shows " + shown.status() + " v"
          + shown.version());
    }
    if (shown.status() == Status.CANCELLED && Contract.LEGACY_DEADLINE_CANCELLATION.equals(shown.cancellationReason())
        && shown.outstandingPeriod() != null) {
      var period = shown.outstandingPeriod();
      var deadlineEnds = billed.calendar().nextChargeDateAfter(period).atStartOfDay(CrossServiceModel.TOKYO).toInstant();
      model.processor.payments().stream()
          .filter(p -> p.description().equals("tsuzuku " + contractId + " " + period))
          .filter(p -> p.at().isBefore(deadlineEnds.minus(CLOCKS_APART)))
          .forEach(p -> violations.add(contractId + " was re-paid for " + period + " at " + p.at() + ", before its deadline ended at "
              + deadlineEnds + ", and is cancelled for missing it"));
    }
    if (billed.inFlight() != null) {
      violations.add(contractId + ": attempt " + billed.inFlight().attemptId() + " still unknown once the processor answers");
    }
    if (billed.hasRefundToIssue()) {
      violations.add(contractId + ": billing still has refunds to issue " + billed.refundsDue());
    }
    var pending = model.jobs.pending().stream().filter(job -> job.contractId().equals(contractId)).map(job -> job.kind())
        .collect(Collectors.toSet());
    if (shown.status() == Status.RETRYING) {
      var needed = shown.cohort() == Cohort.LEGACY ? JobKind.LEGACY_DEADLINE : JobKind.AUTO_RETRY;
      if (!pending.contains(needed)) {
        violations.add(contractId + " is RETRYING (" + shown.cohort() + ") without a pending " + needed + "; pending: " + pending);
      }
    }
    if (shown.pendingManualRetry() != null && !pending.contains(JobKind.MANUAL_RETRY)) {
      violations.add(contractId + ": the console shows a manual retry on " + shown.pendingManualRetry() + " that the retry-service"
          + " does not have pending");
    }
  }

  /**
   * At most one payment kept per contract and period, none kept that was taken after the contract
   * was cancelled, and every refund required ended exactly once: issued by the processor for the
   * organisation that refunds automatically, or failed there, shown failed and settled by hand;
   * settled by hand (and never refunded by the processor) for the other.
   */
  private static void money(CrossServiceModel model, List<String> violations) {
    Map<String, RefundOwed> owed = new HashMap<>();
    model.contracts.forEach((contractId, orgId) -> model.refundsOwed.ofOrganisation(orgId).stream()
        .filter(r -> r.contractId().equals(contractId)).forEach(r -> owed.put(r.processorReference(), r)));
    var byPeriod = model.processor.payments().stream().collect(Collectors.groupingBy(p -> p.description(),
        Collectors.toList()));
    byPeriod.forEach((description, payments) -> {
      var kept = payments.stream().filter(p -> !owed.containsKey(p.reference())).toList();
      if (kept.size() > 1) {
        violations.add(description + " paid " + kept.size() + " times and kept: " + kept);
      }
      var contractId = description.split(" ")[1];
      var shown = model.shown(contractId);
      if (shown != null && shown.status() == Status.CANCELLED) {
        var cancelledAt = shown.statusSince().minus(model.statusSkew);
        kept.stream().filter(p -> p.at().isAfter(cancelledAt.plus(CLOCKS_APART))).forEach(p -> violations.add(description
            + ": kept " + p.reference() + " taken at " + p.at() + ", after the contract was cancelled at " + cancelledAt));
      }
    });
    var references = model.processor.payments().stream().map(Payment::reference).collect(Collectors.toSet());
    owed.values().forEach(refund -> {
      var made = model.processor.refundsMade.getOrDefault(refund.processorReference(), 0);
      var refunded = made == 1 && refund.refundedAt() != null;
      var failedThenSettled = made == 0 && refund.refundFailedAt() != null && refund.settledAt() != null;
      if (refund.orgId().equals(CrossServiceModel.AUTOMATIC) && !refunded && !failedThenSettled) {
        violations.add("refund of " + refund.attemptId() + " made " + made + " times by the processor, shown refunded at "
            + refund.refundedAt() + ", failed at " + refund.refundFailedAt() + ", settled at " + refund.settledAt());
      }
      if (refund.orgId().equals(CrossServiceModel.BY_HAND) && (made != 0 || refund.settledAt() == null)) {
        violations.add("refund of " + refund.attemptId() + " settled by hand at " + refund.settledAt() + " and made " + made
            + " times by the processor");
      }
      if (!references.contains(refund.processorReference())) {
        violations.add("refund required of " + refund.attemptId() + " that the processor never took");
      }
    });
    model.processor.refundsMade.keySet().stream().filter(reference -> !owed.containsKey(reference))
        .forEach(reference -> violations.add("the processor refunded " + reference + " that no one required"));
  }

  /**
   * No card, whatever contracts it pays for, is declined more often than the networks allow in any
   * 30 days (the window shortened by what the clocks may differ).
   */
  private static void withinEachCardsBudget(CrossServiceModel model, List<String> violations) {
    var declines = new HashMap<String, List<Instant>>();
    var seen = new HashSet<String>();
    for (var request : model.processor.requests) {
      if (seen.add(request.key()) && request.result() instanceof PaymentProcessor.Result.Declined) {
        var orgId = model.contracts.get(request.key().substring(0, request.key().indexOf(':')));
        declines.computeIfAbsent(orgId + " " + request.token(), card -> new ArrayList<>()).add(request.at());
      }
    }
    declines.forEach((card, times) -> {
      for (int last = 0; last < times.size(); last++) {
        var from = times.get(last).minus(AttemptBudget.WINDOW.minus(CLOCKS_APART));
        var inWindow = times.subList(0, last + 1).stream().filter(at -> at.isAfter(from)).count();
        if (inWindow > AttemptBudget.MAX_ATTEMPTS) {
          violations.add("card " + card + " declined " + inWindow + " times in the 30 days to " + times.get(last));
          return;
        }
      }
    });
  }

  /** A card declined for good (by the table or the organisation's own class) is never charged again under a new attempt, by any path. */
  private static void neverAfterAHardDecline(CrossServiceModel model, List<String> violations) {
    var declined = new HashSet<String>();
    var seen = new HashSet<String>();
    Function<ModelProcessor.Request, String> card = r -> r.key().substring(0, r.key().indexOf(':')) + " " + r.token();
    for (var request : model.processor.requests) {
      if (seen.add(request.key()) && declined.contains(card.apply(request))) {
        violations.add(request.key() + " charged " + request.token() + " after it was declined for good");
      }
      if (request.result() instanceof PaymentProcessor.Result.Declined decline && CrossServiceModel.DECLINES.classify(
          model.contracts.get(request.key().substring(0, request.key().indexOf(':'))), decline.code(), decline.failureClass())
          == FailureClass.HARD_DECLINE) {
        declined.add(card.apply(request));
      }
    }
  }
}
