package io.tsuzuku.retry.application;

import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.retry.application.port.JobStore;
import io.tsuzuku.retry.application.port.RetryEventPublisher;
import io.tsuzuku.retry.application.port.RetryEventPublisher.LastFailure;
import io.tsuzuku.retry.application.port.ViewStore;
import io.tsuzuku.retry.domain.ContractStatus;
import io.tsuzuku.retry.domain.ContractView;
import io.tsuzuku.retry.domain.FailureClass;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import io.tsuzuku.retry.domain.RetryPolicies;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns payment outcomes and administrators' orders into jobs (SPEC.md §1–§3): weekly automatic
 * retries for the current cohort, then {@code RetriesExhausted}; a manual retry on a chosen date;
 * for the legacy cohort, the re-payment deadline instead. A success or a cancellation withdraws
 * every pending job of the contract.
 *
 * <p>Every step is idempotent: jobs are keyed by their attempt id, published events by their
 * cause, and each event id is remembered in the contract's view, so a redelivered event changes
 * nothing more.
 */
public final class RetryScheduling {

  private static final Set<JobKind> ALL_KINDS = EnumSet.allOf(JobKind.class);
  private static final int MAX_ATTEMPTS = 20;
  /** Billing's refusals that say "not now" rather than "never" (its ledger's codes). */
  private static final Set<String> PASSING_REFUSALS = Set.of("charge_in_progress", "attempt_budget_exceeded");

  private final ViewStore views;
  private final JobStore jobs;
  private final RetryEventPublisher events;
  private final RetryPolicies policies;
  private final ZoneId zone;

  public RetryScheduling(
      ViewStore views, JobStore jobs, RetryEventPublisher events, RetryPolicies policies, ZoneId zone) {
    this.views = views;
    this.jobs = jobs;
    this.events = events;
    this.policies = policies;
    this.zone = zone;
  }

  public void registered(Inputs.Registered registered) {
    update(registered.contractId(), registered.eventId(),
        () -> new ContractView(registered.contractId(), registered.orgId(), registered.cohort(), registered.calendar(),
            null, null, null, 0, List.of(), 0),
        view -> new ContractView(view.contractId(), view.orgId(), registered.cohort(), registered.calendar(),
            view.status(), view.period(), view.failureDay(), view.lastRetryNumber(), view.recentEventIds(), view.revision())
            .seenOnly(registered.eventId()));
  }

  public void statusChanged(Inputs.StatusChanged changed) {
    views.find(changed.contractId()).ifPresent(view -> requireOrganisation(view, changed.orgId()));
    if (changed.status() == ContractStatus.CANCELLED) {
      jobs.withdraw(changed.contractId(), ALL_KINDS, null);
    }
    update(changed.contractId(), changed.eventId(),
        () -> new ContractView(changed.contractId(), changed.orgId(), changed.cohort(), null,
            changed.status(), null, null, 0, List.of(), 0),
        view -> view.withStatus(changed.status(), changed.eventId()));
  }

  public void paymentSucceeded(Inputs.PaymentSucceeded succeeded) {
    jobs.withdrawUpTo(succeeded.contractId(), succeeded.period());
  }

  public void paymentFailed(Inputs.PaymentFailed failed) {
    var view = views.find(failed.contractId()).orElseThrow(() -> new UnknownContractException(failed.contractId()));
    requireOrganisation(view, failed.orgId());
    if (view.hasSeen(failed.eventId())) {
      return;
    }
    if (failed.failureClass() == FailureClass.REFUSED && endsTheSchedule(failed)) {
      saveOrRedo(view.seenOnly(failed.eventId()), () -> paymentFailed(failed));
      return;
    }
    var next = switch (failed.kind()) {
      case SCHEDULED -> view.cohort() == ContractView.Cohort.LEGACY ? legacyDeadline(view, failed) : firstRetry(view, failed);
      case AUTO_RETRY -> view.cohort() == ContractView.Cohort.LEGACY ? view.seenOnly(failed.eventId()) : nextRetry(view, failed);
      case MANUAL_RETRY, SUPPORTER_REPAYMENT -> view.seenOnly(failed.eventId());
    };
    saveOrRedo(next, () -> paymentFailed(failed));
  }

  /**
   * Billing refused the charge (SPEC.md §8). A refused scheduled charge starts no schedule, and a
   * retry refused because the period is paid, not outstanding, the contract cancelled or legacy
   * ends it; a retry refused for a passing reason (another charge at the processor, the attempt
   * budget) counts as a failed retry, so the schedule goes on.
   */
  private static boolean endsTheSchedule(Inputs.PaymentFailed refused) {
    return refused.kind() != Inputs.ChargeKind.AUTO_RETRY || !PASSING_REFUSALS.contains(refused.failureCode());
  }

  public void manualRetryRequested(Inputs.ManualRetryRequested requested) {
    var view = views.find(requested.contractId()).orElseThrow(() -> new UnknownContractException(requested.contractId()));
    requireOrganisation(view, requested.orgId());
    if (view.hasSeen(requested.eventId())) {
      return;
    }
    if (view.cohort() == ContractView.Cohort.LEGACY) {
      saveOrRedo(view.seenOnly(requested.eventId()), () -> manualRetryRequested(requested));
      return;
    }
    var number = (requested.period().equals(view.period()) ? view.lastRetryNumber() : 0) + 1;
    var job = RetryJob.of(requested.contractId(), requested.orgId(), JobKind.MANUAL_RETRY, number, requested.period(), requested.runAt());
    jobs.schedule(job);
    jobs.withdraw(requested.contractId(), EnumSet.of(JobKind.MANUAL_RETRY), job.jobId());
    events.retryScheduled(job, requested.runAt());
    saveOrRedo(
        view.withOutstanding(requested.period(), view.failureDay(), number, requested.eventId()),
        () -> manualRetryRequested(requested));
  }

  public void manualRetryWithdrawn(Inputs.ManualRetryWithdrawn withdrawn) {
    jobs.withdraw(withdrawn.contractId(), EnumSet.of(JobKind.MANUAL_RETRY), null);
  }

  private ContractView firstRetry(ContractView view, Inputs.PaymentFailed failed) {
    var failureDay = failed.at().atZone(zone).toLocalDate();
    var policy = policies.forOrganisation(view.orgId());
    if (!policy.hasRetryAfter(0, failed.failureClass())) {
      exhausted(view, failed, 0);
      return view.withOutstanding(failed.period(), failureDay, 0, failed.eventId());
    }
    schedule(view, failed.period(), 1, policy.retryAt(failureDay, 1, zone));
    return view.withOutstanding(failed.period(), failureDay, 1, failed.eventId());
  }

  private ContractView nextRetry(ContractView view, Inputs.PaymentFailed failed) {
    var policy = policies.forOrganisation(view.orgId());
    var number = failed.attemptNumber();
    var failureDay =
        failed.period().equals(view.period()) && view.failureDay() != null
            ? view.failureDay()
            : failed.at().atZone(zone).toLocalDate().minus(policy.interval().multipliedBy(number));
    if (!policy.hasRetryAfter(number, failed.failureClass())) {
      exhausted(view, failed, number);
      return view.withOutstanding(failed.period(), failureDay, number, failed.eventId());
    }
    schedule(view, failed.period(), number + 1, policy.retryAt(failureDay, number + 1, zone));
    return view.withOutstanding(failed.period(), failureDay, number + 1, failed.eventId());
  }

  private ContractView legacyDeadline(ContractView view, Inputs.PaymentFailed failed) {
    if (view.calendar() == null) {
      throw new UnknownContractException(view.contractId()); // its registration has not arrived yet
    }
    var cancelOn = view.calendar().nextChargeDateAfter(failed.period());
    var job = RetryJob.of(view.contractId(), view.orgId(), JobKind.LEGACY_DEADLINE, 0, failed.period(),
        cancelOn.atStartOfDay(zone).toInstant());
    jobs.schedule(job);
    return view.withOutstanding(failed.period(), failed.at().atZone(zone).toLocalDate(), 0, failed.eventId());
  }

  private void schedule(ContractView view, java.time.LocalDate period, int number, java.time.Instant runAt) {
    var job = RetryJob.of(view.contractId(), view.orgId(), JobKind.AUTO_RETRY, number, period, runAt);
    jobs.schedule(job);
    events.retryScheduled(job, runAt);
  }

  private void exhausted(ContractView view, Inputs.PaymentFailed failed, int retries) {
    events.retriesExhausted(view.contractId(), view.orgId(), failed.period(), retries,
        new LastFailure(failed.failureCode(), failed.failureClass().name(), failed.at()), failed.eventId(), failed.at());
  }

  /** An event naming another organisation than the contract's is never applied (SPEC.md §8.6). */
  private static void requireOrganisation(ContractView view, String orgId) {
    if (view.orgId() != null && !view.orgId().equals(orgId)) {
      throw new ForeignOrganisationException(view.contractId(), view.orgId(), orgId);
    }
  }

  /** Saves the view; if another writer came first, handles the event again on the fresh view. */
  private void saveOrRedo(ContractView next, Runnable redo) {
    if (!views.save(next)) {
      redo.run();
    }
  }

  private void update(String contractId, String eventId, java.util.function.Supplier<ContractView> create, Function<ContractView, ContractView> change) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      var current = views.find(contractId);
      if (current.isPresent() && current.get().hasSeen(eventId)) {
        return;
      }
      var next = current.map(change).orElseGet(() -> create.get().seenOnly(eventId));
      if (views.save(next)) {
        return;
      }
    }
    throw new IllegalStateException("contract " + contractId + " kept changing under event " + eventId);
  }
}
