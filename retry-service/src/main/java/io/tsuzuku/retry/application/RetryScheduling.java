package io.tsuzuku.retry.application;

import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.schemas.DeclineRules;
import io.tsuzuku.retry.application.port.JobStore;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.retry.application.port.RetryMessages;
import io.tsuzuku.retry.application.port.RetryMessages.LastFailure;
import io.tsuzuku.retry.application.port.ViewStore;
import io.tsuzuku.schemas.ChargeRefusal;
import io.tsuzuku.retry.domain.ContractStatus;
import io.tsuzuku.retry.domain.ContractView;
import io.tsuzuku.retry.domain.FailureClass;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import io.tsuzuku.retry.domain.RetryPolicies;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns payment outcomes and administrators' orders into jobs (docs/retry-policy.md): weekly automatic
 * retries for the current cohort, then {@code RetriesExhausted}; a manual retry on a chosen date;
 * for the legacy cohort, the re-payment deadline instead. A success or a cancellation withdraws
 * every pending job of the contract.
 *
 * <p>Every step is idempotent: jobs are keyed by their attempt id, messages by their cause, and
 * each event id is remembered in the contract's view, saved in one write with the messages the
 * event caused (the service kit's outbox relays them), so a redelivered event changes nothing
 * more and a crash loses no message: the event is delivered again until its view is saved.
 */
public final class RetryScheduling {

  private static final Set<JobKind> ALL_KINDS = EnumSet.allOf(JobKind.class);
  /** How often an event is applied again on a fresh view when other writers keep coming first. */
  private static final int MAX_ATTEMPTS = 20;

  private final ViewStore views;
  private final JobStore jobs;
  private final RetryMessages messages;
  private final RetryPolicies policies;
  private final ZoneId zone;
  private final Runnable messagesSaved;

  /** @param messagesSaved told after a change saved messages (the relay publishes them at once) */
  public RetryScheduling(ViewStore views, JobStore jobs, RetryMessages messages, RetryPolicies policies, ZoneId zone,
      Runnable messagesSaved) {
    this.views = views;
    this.jobs = jobs;
    this.messages = messages;
    this.policies = policies;
    this.zone = zone;
    this.messagesSaved = messagesSaved;
  }

  public RetryScheduling(ViewStore views, JobStore jobs, RetryMessages messages, RetryPolicies policies, ZoneId zone) {
    this(views, jobs, messages, policies, zone, () -> {});
  }

  /** A view as an event leaves it, and the messages the event sends. */
  private record Change(ContractView view, List<OutboxMessage> messages) {
    static Change of(ContractView view, OutboxMessage... messages) {
      return new Change(view, List.of(messages));
    }
  }

  public void registered(Inputs.Registered registered) {
    apply(registered.contractId(), registered.eventId(),
        () -> new ContractView(registered.contractId(), registered.orgId(), null, null, null, null, null, 0, List.of(), 0),
        view -> Change.of(new ContractView(view.contractId(), view.orgId(), registered.cohort(), registered.calendar(),
            view.status(), view.period(), view.failureDay(), view.lastRetryNumber(), view.recentEventIds(), view.revision())
            .seenOnly(registered.eventId())));
  }

  public void statusChanged(Inputs.StatusChanged changed) {
    apply(changed.contractId(), changed.eventId(),
        () -> new ContractView(changed.contractId(), changed.orgId(), changed.cohort(), null, null, null, null, 0, List.of(), 0),
        view -> {
          requireOrganisation(view, changed.orgId());
          if (changed.status() == ContractStatus.CANCELLED) {
            jobs.withdraw(changed.contractId(), ALL_KINDS, null);
          }
          return Change.of(view.withStatus(changed.status(), changed.eventId()));
        });
  }

  public void paymentSucceeded(Inputs.PaymentSucceeded succeeded) {
    views.find(succeeded.contractId()).ifPresent(view -> requireOrganisation(view, succeeded.orgId()));
    jobs.withdrawUpTo(succeeded.contractId(), succeeded.period());
  }

  public void paymentFailed(Inputs.PaymentFailed failed) {
    apply(failed.contractId(), failed.eventId(), () -> { throw new UnknownContractException(failed.contractId()); }, view -> {
      requireOrganisation(view, failed.orgId());
      if (failed.failureClass() == FailureClass.REFUSED && failed.kind() == Inputs.ChargeKind.AUTO_RETRY
          && DeclineRules.NEW_CARD_REQUIRED.equals(failed.failureCode()) && view.cohort() == ContractView.Cohort.CURRENT) {
        // the card was declined for good meanwhile (a re-payment with it): no retry can run, ERROR
        return Change.of(view.withOutstanding(failed.period(), view.failureDay(), failed.attemptNumber(), failed.eventId()),
            exhausted(view, failed, failed.attemptNumber()));
      }
      if (failed.failureClass() == FailureClass.REFUSED && endsTheSchedule(failed)) {
        return Change.of(view.seenOnly(failed.eventId()));
      }
      var legacy = view.cohort() == ContractView.Cohort.LEGACY;
      return switch (failed.kind()) {
        case SCHEDULED -> legacy ? legacyDeadline(view, failed) : firstRetry(view, failed);
        case AUTO_RETRY -> legacy ? Change.of(view.seenOnly(failed.eventId())) : nextRetry(view, failed);
        case MANUAL_RETRY, SUPPORTER_REPAYMENT -> Change.of(view.seenOnly(failed.eventId()));
      };
    });
  }

  /**
   * Billing refused the charge (docs/ledger.md). A refused scheduled charge starts no schedule, and a
   * retry refused because the period is paid, not outstanding, the contract cancelled or legacy
   * ends it; a retry refused for a passing reason (another charge at the processor, the attempt
   * budget) counts as a failed retry, so the schedule goes on.
   */
  private static boolean endsTheSchedule(Inputs.PaymentFailed refused) {
    return refused.kind() != Inputs.ChargeKind.AUTO_RETRY || !ChargeRefusal.of(refused.failureCode()).map(ChargeRefusal::passing).orElse(false);
  }

  public void manualRetryRequested(Inputs.ManualRetryRequested requested) {
    apply(requested.contractId(), requested.eventId(), () -> { throw new UnknownContractException(requested.contractId()); },
        view -> {
          requireOrganisation(view, requested.orgId());
          if (view.cohort() == ContractView.Cohort.LEGACY) {
            return Change.of(view.seenOnly(requested.eventId()));
          }
          var number = (requested.period().equals(view.period()) ? view.lastRetryNumber() : 0) + 1;
          var job = RetryJob.of(requested.contractId(), requested.orgId(), JobKind.MANUAL_RETRY, number, requested.period(),
              requested.runAt());
          jobs.schedule(job);
          jobs.withdraw(requested.contractId(), EnumSet.of(JobKind.MANUAL_RETRY), job.jobId());
          return Change.of(view.withOutstanding(requested.period(), view.failureDay(), number, requested.eventId()),
              messages.retryScheduled(job, requested.runAt()));
        });
  }

  /**
   * Withdraws the manual retry the withdrawal names (by when it was to run), once: a copy delivered
   * late, after the administrator ordered another retry, withdraws nothing.
   */
  public void manualRetryWithdrawn(Inputs.ManualRetryWithdrawn withdrawn) {
    apply(withdrawn.contractId(), withdrawn.eventId(), () -> { throw new UnknownContractException(withdrawn.contractId()); },
        view -> {
          requireOrganisation(view, withdrawn.orgId());
          jobs.withdrawManualRetry(withdrawn.contractId(), withdrawn.runAt());
          return Change.of(view.seenOnly(withdrawn.eventId()));
        });
  }

  private Change firstRetry(ContractView view, Inputs.PaymentFailed failed) {
    var failureDay = failed.at().atZone(zone).toLocalDate();
    var policy = policies.forOrganisation(view.orgId());
    if (!policy.hasRetryAfter(0, failed.failureClass())) {
      return Change.of(view.withOutstanding(failed.period(), failureDay, 0, failed.eventId()), exhausted(view, failed, 0));
    }
    return Change.of(view.withOutstanding(failed.period(), failureDay, 1, failed.eventId()),
        schedule(view, failed.period(), 1, policy.retryAt(failureDay, 1, zone)));
  }

  private Change nextRetry(ContractView view, Inputs.PaymentFailed failed) {
    var policy = policies.forOrganisation(view.orgId());
    var number = failed.attemptNumber();
    var failureDay =
        failed.period().equals(view.period()) && view.failureDay() != null
            ? view.failureDay()
            : failed.at().atZone(zone).toLocalDate().minus(policy.interval().multipliedBy(number));
    if (!policy.hasRetryAfter(number, failed.failureClass())) {
      return Change.of(view.withOutstanding(failed.period(), failureDay, number, failed.eventId()),
          exhausted(view, failed, number));
    }
    return Change.of(view.withOutstanding(failed.period(), failureDay, number + 1, failed.eventId()),
        schedule(view, failed.period(), number + 1, policy.retryAt(failureDay, number + 1, zone)));
  }

  private Change legacyDeadline(ContractView view, Inputs.PaymentFailed failed) {
    if (view.calendar() == null) {
      throw new UnknownContractException(view.contractId()); // its registration has not arrived yet
    }
    var cancelOn = view.calendar().legacyCancellationDay(failed.period());
    jobs.schedule(RetryJob.of(view.contractId(), view.orgId(), JobKind.LEGACY_DEADLINE, 0, failed.period(),
        cancelOn.atStartOfDay(zone).toInstant()));
    return Change.of(view.withOutstanding(failed.period(), failed.at().atZone(zone).toLocalDate(), 0, failed.eventId()));
  }

  private OutboxMessage schedule(ContractView view, LocalDate period, int number, Instant runAt) {
    var job = RetryJob.of(view.contractId(), view.orgId(), JobKind.AUTO_RETRY, number, period, runAt);
    jobs.schedule(job);
    return messages.retryScheduled(job, runAt);
  }

  private OutboxMessage exhausted(ContractView view, Inputs.PaymentFailed failed, int retries) {
    return messages.retriesExhausted(view.contractId(), view.orgId(), failed.period(), retries,
        new LastFailure(failed.failureCode(), failed.failureClass().name(), failed.at()), failed.eventId(), failed.at());
  }

  /** An event naming another organisation than the contract's is never applied (docs/ledger.md, invariant 6). */
  private static void requireOrganisation(ContractView view, String orgId) {
    if (view.orgId() != null && !view.orgId().equals(orgId)) {
      throw new ForeignOrganisationException(view.contractId(), view.orgId(), orgId);
    }
  }

  /**
   * Applies an event to the contract's view and saves the result with its messages in one write;
   * when another writer came first, applies it again to the fresh view (jobs are scheduled and
   * withdrawn idempotently, so doing that twice is doing it once). An event already seen changes
   * nothing.
   *
   * @param absent the view of a contract not seen before (or throws when the event needs one)
   */
  private void apply(String contractId, String eventId, Supplier<ContractView> absent, Function<ContractView, Change> change) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      var current = views.find(contractId);
      if (current.isPresent() && current.get().hasSeen(eventId)) {
        return;
      }
      var next = change.apply(current.orElseGet(absent));
      if (views.save(next.view(), next.messages())) {
        if (!next.messages().isEmpty()) {
          messagesSaved.run();
        }
        return;
      }
    }
    throw new IllegalStateException("contract " + contractId + " kept changing under event " + eventId);
  }
}
