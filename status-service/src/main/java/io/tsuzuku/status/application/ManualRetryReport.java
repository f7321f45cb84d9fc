package io.tsuzuku.status.application;

import java.time.LocalDate;
import java.util.List;

/**
 * How manual retries fared by the day of the month they ran on: the data an administrator needs
 * to choose the next date.
 *
 * @param days the 31 days of a month, each with its attempts (zero when none ran)
 */
public record ManualRetryReport(LocalDate from, LocalDate to, List<Day> days) {

  /** @param recovered the attempts that brought their contract back to ACTIVE */
  public record Day(int dayOfMonth, long attempts, long recovered, long recoveredYen) {}
}
