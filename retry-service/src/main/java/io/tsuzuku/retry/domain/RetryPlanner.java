package io.tsuzuku.retry.domain;

import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.retry.domain.RetryPlan.Announcement;
import io.tsuzuku.retry.domain.RetryPlan.JobChange;
import io.tsuzuku.schemas.ChargeRefusal;
import io.tsuzuku.schemas.CohortRules;
import io.tsuzuku.schemas.DeclineRules;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;

/**
 * The retry service's decisions (docs/retry-policy.md), as pure functions from a contract's view
 * and an event to a {@link RetryPlan}: weekly automatic retries for the current cohort, then
 * {@code RetriesExhausted}; a manual retry on a chosen date; for the legacy cohort, the re-payment
 * deadline instead (docs/product.md, "Cohorts"); a cancellation withdraws every pending job. Every
 * plan remembers the event in the view, so the same event is never planned twice.
 */
public final class RetryPlanner {

  private final RetryPolicies policies;
  private final ZoneId zone;

  public RetryPlanner(RetryPolicies policies, ZoneId zone) {
    this.policies = policies;
    this.zone = zone;
  }

  /** The contract's cohort and calendar, from its registration. */
  public RetryPlan registered(ContractView view, Inputs.Registered registered) {
    return RetryPlan.of(new ContractView(view.contractId(), view.orgId(), registered.cohort(), registered.calendar(),
        view.status(), view.period(), view.failureDay(), view.lastRetryNumber(), view.recentEventIds(), view.revision())
        .seenOnly(registered.eventId()));
  }

  /** The latest status; a cancellation withdraws every pending job. */
  public RetryPlan statusChanged(ContractView view, Inputs.StatusChanged changed) {
    var next = view.withStatus(changed.status(), changed.eventId());
    return changed.status() == ContractStatus.CANCELLED
        ? new RetryPlan(next, List.of(new JobChange.Withdraw(EnumSet.allOf(JobKind.class), null)), List.of())
        : RetryPlan.of(next);
  }

  /** A charge failed or was refused: the next retry, the end of the retries, or the legacy deadline. */
  public RetryPlan paymentFailed(ContractView view, Inputs.PaymentFailed failed) {
    if (failed.failureClass() == FailureClass.REFUSED && failed.kind() == Inputs.ChargeKind.AUTO_RETRY
        && DeclineRules.NEW_CARD_REQUIRED.equals(failed.failureCode()) && view.cohort() == ContractView.Cohort.CURRENT) {
      // the card was declined for good meanwhile (a re-payment with it): no retry can run, ERROR
      return exhausted(view.withOutstanding(failed.period(), view.failureDay(), failed.attemptNumber(), failed.eventId()),
          failed, failed.attemptNumber());
    }
    if (failed.failureClass() == FailureClass.REFUSED && endsTheSchedule(failed)) {
      return RetryPlan.of(view.seenOnly(failed.eventId()));
    }
    var retried = retried(view);
    return switch (failed.kind()) {
      case SCHEDULED -> retried ? firstRetry(view, failed) : legacyDeadline(view, failed);
      case AUTO_RETRY -> retried ? nextRetry(view, failed) : RetryPlan.of(view.seenOnly(failed.eventId()));
      case MANUAL_RETRY, SUPPORTER_REPAYMENT -> RetryPlan.of(view.seenOnly(failed.eventId()));
    };
  }

  /**
   * Billing refused the charge (docs/events.md, "Refusal codes"). A refused scheduled charge starts
   * no schedule, and a retry refused for good ends it; a retry refused for a passing reason
   * (another charge at the processor, the attempt budget) counts as a failed retry, so the schedule
   * goes on.
   */
  private static boolean endsTheSchedule(Inputs.PaymentFailed refused) {
    return refused.kind() != Inputs.ChargeKind.AUTO_RETRY
        || !ChargeRefusal.of(refused.failureCode()).map(ChargeRefusal::passing).orElse(false);
  }

  /** An administrator's manual retry on its date, replacing any other pending one; none for a legacy contract. */
  public RetryPlan manualRetryRequested(ContractView view, Inputs.ManualRetryRequested requested) {
    if (!retried(view)) {
      return RetryPlan.of(view.seenOnly(requested.eventId()));
    }
    var number = (requested.period().equals(view.period()) ? view.lastRetryNumber() : 0) + 1;
    var job = RetryJob.of(requested.contractId(), requested.orgId(), JobKind.MANUAL_RETRY, number, requested.period(),
        requested.runAt());
    return new RetryPlan(view.withOutstanding(requested.period(), view.failureDay(), number, requested.eventId()),
        List.of(new JobChange.Schedule(job), new JobChange.Withdraw(EnumSet.of(JobKind.MANUAL_RETRY), job.jobId())),
        List.of(new Announcement.RetryScheduled(job, requested.runAt())));
  }

  /**
   * Withdraws the manual retry the withdrawal names (by when it was to run): a copy delivered late,
   * after the administrator ordered another retry, withdraws nothing.
   */
  public RetryPlan manualRetryWithdrawn(ContractView view, Inputs.ManualRetryWithdrawn withdrawn) {
    return new RetryPlan(view.seenOnly(withdrawn.eventId()), List.of(new JobChange.WithdrawManualRetry(withdrawn.runAt())),
        List.of());
  }

  /**
   * A current contract gets retries, a legacy one its deadline. A view that has no cohort yet (its
   * registration and snapshots still on their way) is planned as current: billing refuses a retry
   * of a legacy contract anyway.
   */
  private static boolean retried(ContractView view) {
    return view.cohort() == null || CohortRules.isRetried(view.cohort().name());
  }

  private RetryPlan firstRetry(ContractView view, Inputs.PaymentFailed failed) {
    var failureDay = failed.at().atZone(zone).toLocalDate();
    var policy = policies.forOrganisation(view.orgId());
    if (!policy.hasRetryAfter(0, failed.failureClass())) {
      return exhausted(view.withOutstanding(failed.period(), failureDay, 0, failed.eventId()), failed, 0);
    }
    return retry(view.withOutstanding(failed.period(), failureDay, 1, failed.eventId()), failed.period(), 1,
        policy.retryAt(failureDay, 1, zone));
  }

  private RetryPlan nextRetry(ContractView view, Inputs.PaymentFailed failed) {
    var policy = policies.forOrganisation(view.orgId());
    var number = failed.attemptNumber();
    var failureDay =
        failed.period().equals(view.period()) && view.failureDay() != null
            ? view.failureDay()
            : failed.at().atZone(zone).toLocalDate().minus(policy.interval().multipliedBy(number));
    if (!policy.hasRetryAfter(number, failed.failureClass())) {
      return exhausted(view.withOutstanding(failed.period(), failureDay, number, failed.eventId()), failed, number);
    }
    return retry(view.withOutstanding(failed.period(), failureDay, number + 1, failed.eventId()), failed.period(), number + 1,
        policy.retryAt(failureDay, number + 1, zone));
  }

  /**
   * A legacy contract waits for its supporter's re-payment until the deadline, whose job wakes
   * billing; its registration must have come, for the calendar.
   *
   * @throws UnknownContractException when the registration has not arrived yet
   */
  private RetryPlan legacyDeadline(ContractView view, Inputs.PaymentFailed failed) {
    if (view.calendar() == null) {
      throw new UnknownContractException(view.contractId()); // parked until its registration comes
    }
    var cancelOn = view.calendar().legacyCancellationDay(failed.period());
    var deadline = RetryJob.of(view.contractId(), view.orgId(), JobKind.LEGACY_DEADLINE, 0, failed.period(),
        cancelOn.atStartOfDay(zone).toInstant());
    return new RetryPlan(view.withOutstanding(failed.period(), failed.at().atZone(zone).toLocalDate(), 0, failed.eventId()),
        List.of(new JobChange.Schedule(deadline)), List.of());
  }

  private static RetryPlan retry(ContractView next, LocalDate period, int number, Instant runAt) {
    var job = RetryJob.of(next.contractId(), next.orgId(), JobKind.AUTO_RETRY, number, period, runAt);
    return new RetryPlan(next, List.of(new JobChange.Schedule(job)), List.of(new Announcement.RetryScheduled(job, runAt)));
  }

  private static RetryPlan exhausted(ContractView next, Inputs.PaymentFailed failed, int retries) {
    return new RetryPlan(next, List.of(),
        List.of(new Announcement.RetriesExhausted(next.contractId(), next.orgId(), failed.period(), retries, failed)));
  }
}
