package io.tsuzuku.billing.domain;

import io.tsuzuku.calendar.BillingCalendar;
import java.time.LocalDate;

/**
 * A contract as billing keeps it: what to charge, on which card, and when next (SPEC.md §3).
 *
 * @param status the latest status code from the status service (only ACTIVE contracts get
 *     scheduled charges)
 * @param nextChargeOn the next scheduled charge date; never in the past after a recovery
 */
public record BilledContract(
    String contractId,
    String orgId,
    Cohort cohort,
    BillingCalendar calendar,
    long amountYen,
    String paymentMethodToken,
    String status,
    LocalDate nextChargeOn) {

  public enum Cohort {
    CURRENT,
    LEGACY
  }

  /** After the scheduled charge of {@code period} succeeded: the next anchor date after it. */
  public BilledContract paidScheduled(LocalDate period) {
    return withNextChargeOn(calendar.nextChargeDateAfter(period));
  }

  /**
   * After a failed period was finally paid on {@code paidOn} (any path): the first anchor date
   * strictly after the day of the payment, however late the recovery, so never in the past.
   */
  public BilledContract recoveredOn(LocalDate paidOn) {
    return withNextChargeOn(calendar.nextChargeDateAfter(paidOn));
  }

  /**
   * The period a billing run on {@code today} charges: the latest scheduled date due by today. After
   * downtime, missed dates are not charged one by one: donations are not debts.
   */
  public LocalDate periodDueOn(LocalDate today) {
    var period = nextChargeOn;
    for (var next = calendar.nextChargeDateAfter(period); !next.isAfter(today); next = calendar.nextChargeDateAfter(next)) {
      period = next;
    }
    return period;
  }

  /** After a scheduled charge failed: nothing is scheduled until the period is paid. */
  public BilledContract failedScheduled() {
    return withNextChargeOn(null);
  }

  public boolean isDueOn(LocalDate today) {
    return "ACTIVE".equals(status) && nextChargeOn != null && !nextChargeOn.isAfter(today);
  }

  public BilledContract withStatus(String newStatus) {
    return new BilledContract(contractId, orgId, cohort, calendar, amountYen, paymentMethodToken, newStatus, nextChargeOn);
  }

  public BilledContract withPaymentMethod(String token) {
    return new BilledContract(contractId, orgId, cohort, calendar, amountYen, token, status, nextChargeOn);
  }

  private BilledContract withNextChargeOn(LocalDate date) {
    return new BilledContract(contractId, orgId, cohort, calendar, amountYen, paymentMethodToken, status, date);
  }
}
