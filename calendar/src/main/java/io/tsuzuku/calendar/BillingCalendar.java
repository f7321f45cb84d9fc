package io.tsuzuku.calendar;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * The scheduled charge dates of a contract (docs/retry-policy.md): the anchor day of each month (MONTHLY)
 * or of the anchor month each year (YEARLY); in a month without that day, its last day.
 */
public record BillingCalendar(Interval interval, int anchorDay, int anchorMonth) {

  public enum Interval {
    MONTHLY,
    YEARLY
  }

  public BillingCalendar {
    if (anchorDay < 1 || anchorDay > 31) {
      throw new IllegalArgumentException("anchor day " + anchorDay + " is not a day of a month");
    }
    if (anchorMonth < 1 || anchorMonth > 12) {
      throw new IllegalArgumentException("anchor month " + anchorMonth + " is not a month");
    }
  }

  /**
   * The day a legacy contract whose charge of {@code failedPeriod} failed is cancelled unless the
   * supporter re-paid before it starts: its next scheduled charge date (the old rule: docs/retry-policy.md, "Legacy re-payment deadlines").
   * The retry-service schedules the deadline by it; the billing-service refuses a re-payment from it.
   */
  public LocalDate legacyCancellationDay(LocalDate failedPeriod) {
    return nextChargeDateAfter(failedPeriod);
  }

  /** The first scheduled charge date strictly after {@code day}. */
  public LocalDate nextChargeDateAfter(LocalDate day) {
    var month = interval == Interval.MONTHLY ? YearMonth.from(day) : YearMonth.of(day.getYear(), anchorMonth);
    while (true) {
      var candidate = month.atDay(Math.min(anchorDay, month.lengthOfMonth()));
      if (candidate.isAfter(day)) {
        return candidate;
      }
      month = interval == Interval.MONTHLY ? month.plusMonths(1) : month.plusYears(1);
    }
  }
}
