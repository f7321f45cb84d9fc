package io.tsuzuku.status.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** Contracts in every status and events of every trigger, for the domain tests. */
final class Fixtures {

  static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");
  static final LocalDate PAID = LocalDate.of(2026, 10, 1);
  static final LocalDate FAILED = LocalDate.of(2026, 11, 1);
  static final Actor ADMIN = Actor.administrator("admin@org-1");

  private Fixtures() {}

  static Contract active(Cohort cohort) {
    return new Contract(
        "contract-1", "org-1", cohort, new Supporter("s-1", "山田 花子", "hanako@example.org"), 3000,
        Interval.MONTHLY, Status.ACTIVE, T0.minusSeconds(86_400 * 40), null, null, null, PAID, 0, List.of(), null, null,
        null, null, 0, null, null, 3);
  }

  static Contract inStatus(Status status, Cohort cohort) {
    var active = active(cohort);
    return switch (status) {
      case ACTIVE -> active;
      case RETRYING ->
          new Contract(
              active.contractId(), active.orgId(), cohort, active.supporter(), 3000, Interval.MONTHLY, Status.RETRYING,
              T0, null, new Failure("card_declined", "SOFT_DECLINE", T0), FAILED, PAID, 1, List.of(T0),
              null, null, null, null, 0, null, null, 4);
      case ERROR ->
          new Contract(
              active.contractId(), active.orgId(), cohort, active.supporter(), 3000, Interval.MONTHLY, Status.ERROR,
              T0.plusSeconds(86_400 * 21), T0.plusSeconds(86_400 * 21),
              new Failure("card_declined", "SOFT_DECLINE", T0), FAILED, PAID, 4, List.of(T0), null,
              new PendingManualRetry(LocalDate.of(2026, 12, 24), T0.plusSeconds(86_400 * 52), "admin@org-1"),
              null, null, 0, null, null, 8);
      case CANCELLED ->
          new Contract(
              active.contractId(), active.orgId(), cohort, active.supporter(), 3000, Interval.MONTHLY,
              Status.CANCELLED, T0, null, null, null, PAID, 0, List.of(), null, null, null, null, 0, null, "moved away", 5);
    };
  }

  /** An event of {@code trigger} about the failed (outstanding) period. */
  static ContractEvent event(Trigger trigger) {
    return event(trigger, FAILED);
  }

  static ContractEvent event(Trigger trigger, LocalDate period) {
    var id = UUID.randomUUID().toString();
    var at = T0.plusSeconds(86_400 * 60);
    var failure = new Failure("insufficient_funds", "SOFT_DECLINE", at);
    return switch (trigger) {
      case SCHEDULED_CHARGE_FAILED -> new ContractEvent.PaymentFailed(id, at, attempt(period, ChargeKind.SCHEDULED, 0), 3000, failure);
      case AUTOMATIC_RETRY_FAILED -> new ContractEvent.PaymentFailed(id, at, attempt(period, ChargeKind.AUTO_RETRY, 2), 3000, failure);
      case MANUAL_RETRY_FAILED -> new ContractEvent.PaymentFailed(id, at, attempt(period, ChargeKind.MANUAL_RETRY, 4), 3000, failure);
      case REPAYMENT_FAILED -> new ContractEvent.PaymentFailed(id, at, attempt(period, ChargeKind.SUPPORTER_REPAYMENT, 0), 3000, failure);
      case PAYMENT_SUCCEEDED -> new ContractEvent.PaymentSucceeded(id, at, attempt(period, ChargeKind.AUTO_RETRY, 2), 3000);
      case RETRIES_EXHAUSTED -> new ContractEvent.RetriesExhausted(id, at, period);
      case REPAYMENT_DEADLINE_PASSED -> new ContractEvent.RepaymentDeadlinePassed(id, at, period);
      case RETRY_SCHEDULED -> new ContractEvent.RetryScheduled(id, at, ChargeKind.AUTO_RETRY, 2, period, at.plusSeconds(604_800));
      case MANUAL_RETRY_REQUESTED -> new ContractEvent.ManualRetryRequested(id, at, ADMIN, LocalDate.of(2027, 1, 10), at.plusSeconds(86_400 * 9));
      case MANUAL_RETRY_WITHDRAWN -> new ContractEvent.ManualRetryWithdrawn(id, at, ADMIN);
      case FINAL_NOTICE_SENT -> new ContractEvent.FinalNoticeSent(id, at, ADMIN, LocalDate.of(2027, 1, 1));
      case REPAYMENT_REQUESTED -> new ContractEvent.RepaymentRequested(id, at, ADMIN, LocalDate.of(2027, 1, 1), at.plusSeconds(86_400 * 14));
      case PAYMENT_METHOD_UPDATED -> new ContractEvent.PaymentMethodUpdated(id, at, "update-1", "contract-1", "sealed-token");
      case CANCELLED_BY_ADMINISTRATOR -> new ContractEvent.CancellationRequested(id, at, ADMIN, "no answer to the final notice");
      case CANCELLED_BY_SUPPORTER -> new ContractEvent.CancellationRequested(id, at, Actor.DONATION_FORM, "moving abroad");
    };
  }

  static Attempt attempt(LocalDate period, ChargeKind kind, int number) {
    return new Attempt("contract-1:" + period + ":" + kind + ":" + number, period, kind, number);
  }
}
