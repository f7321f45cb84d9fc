package io.tsuzuku.status.application;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * What became of the failures that began in a period (docs/admin-api.md, "Recovery analytics"). A
 * failure begins when a payment fails while the contract is ACTIVE and ends when the contract
 * returns to ACTIVE (recovered) or is cancelled; otherwise it is still open on {@code asOf}. Days
 * to recover count from the day it began to the day of the recovery (Asia/Tokyo).
 *
 * @param total every failure of the period
 * @param byDeclineClass by the class of the failure's first decline (UNKNOWN: not recorded)
 * @param byDeclineCode by the code of that decline
 * @param byCohort CURRENT or LEGACY
 * @param byAmountBand by the contract's amount a month
 * @param byPath the recovered failures by the path that brought them back
 * @param byMonthsInError the recovered failures by how long they had been in ERROR
 * @param cohorts the failures by the month they began, with the share recovered within 1, 2, 3, 6
 *     and 12 months
 */
public record RecoveryAnalytics(
    LocalDate from,
    LocalDate to,
    LocalDate asOf,
    Group total,
    List<Group> byDeclineClass,
    List<Group> byDeclineCode,
    List<Group> byCohort,
    List<Group> byAmountBand,
    List<Recovered> byPath,
    List<Recovered> byMonthsInError,
    List<CohortMonth> cohorts) {

  /** The months after the first failure at which the cohort table measures recovery. */
  public static final List<Integer> COHORT_MONTHS = List.of(1, 2, 3, 6, 12);

  /**
   * The failures of one kind and what became of them.
   *
   * @param recoveryRate recovered / failed
   * @param medianDaysToRecover null when none recovered
   * @param p90DaysToRecover the nearest-rank 90th percentile; null when none recovered
   * @param recoveredMonthlyYen the contracts' amounts a month (a yearly one's twelfth), once per recovery
   */
  public record Group(
      String key,
      long failed,
      long recovered,
      long cancelled,
      long open,
      double recoveryRate,
      Integer medianDaysToRecover,
      Integer p90DaysToRecover,
      long recoveredMonthlyYen) {}

  /**
   * The recoveries of one kind.
   *
   * @param shareOfFailed recovered / every failure of the period
   */
  public record Recovered(
      String key, long recovered, double shareOfFailed, Integer medianDaysToRecover, Integer p90DaysToRecover,
      long recoveredMonthlyYen) {}

  /** The failures that began in one month (Asia/Tokyo). */
  public record CohortMonth(YearMonth month, long failed, List<Within> recoveredWithin) {}

  /**
   * @param share recovered / failed; null while some of the month's failures are younger than
   *     {@code months} on {@code asOf}
   */
  public record Within(int months, long recovered, Double share) {}
}
