package io.tsuzuku.retry.domain;

import io.tsuzuku.calendar.BillingCalendar;
import java.time.Instant;
import java.time.LocalDate;

/** The facts the retry service acts on, as its listeners hand them over from the events. */
public final class Inputs {

  private Inputs() {}

  public enum ChargeKind {
    SCHEDULED,
    AUTO_RETRY,
    MANUAL_RETRY,
    SUPPORTER_REPAYMENT
  }

  public record Registered(
      String eventId, String contractId, String orgId, ContractView.Cohort cohort, BillingCalendar calendar) {}

  public record StatusChanged(
      String eventId, String contractId, String orgId, ContractView.Cohort cohort, io.tsuzuku.retry.domain.ContractStatus status) {}

  public record PaymentFailed(
      String eventId, String contractId, String orgId, ChargeKind kind, int attemptNumber, LocalDate period,
      FailureClass failureClass, String failureCode, Instant at) {}

  public record PaymentSucceeded(String eventId, String contractId, String orgId, LocalDate period) {}

  public record ManualRetryRequested(
      String eventId, String contractId, String orgId, LocalDate period, Instant runAt) {}

  /** @param runAt when the withdrawn retry was to run; null (an older writer): any pending manual retry */
  public record ManualRetryWithdrawn(String eventId, String contractId, String orgId, Instant runAt) {}
}
