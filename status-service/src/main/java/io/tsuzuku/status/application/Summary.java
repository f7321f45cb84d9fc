package io.tsuzuku.status.application;

import io.tsuzuku.status.domain.Status;
import java.time.LocalDate;
import java.util.List;

/**
 * An organisation's situation at a glance (docs/admin-console.md): contracts by status, ERROR by
 * age, manual retries of the coming days. Every figure says which filter of the contract list
 * shows its contracts. Yen are per month (a yearly contract counts a twelfth of its amount).
 */
public record Summary(
    LocalDate today, List<ByStatus> byStatus, List<ErrorAge> errorByAge, List<RetryDay> manualRetries) {

  /** How many contracts and how many yen per month. */
  public record Figure(long contracts, long monthlyYen) {
    public static final Figure NONE = new Figure(0, 0);
  }

  public record ByStatus(Status status, long contracts, long monthlyYen) {}

  /**
   * The contracts in ERROR since a date in {@code [errorSinceFrom, errorSinceBefore)}; a null bound
   * is open.
   */
  public record ErrorAge(Band band, LocalDate errorSinceFrom, LocalDate errorSinceBefore, long contracts, long monthlyYen) {}

  /** How long contracts have been in ERROR; the last band holds the final-notice candidates. */
  public enum Band {
    UNDER_1_MONTH,
    MONTHS_1_TO_3,
    MONTHS_3_TO_6,
    MONTHS_6_TO_12,
    OVER_12_MONTHS
  }

  public record RetryDay(LocalDate retryOn, long contracts, long monthlyYen) {}
}
