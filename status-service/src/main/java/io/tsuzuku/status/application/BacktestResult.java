package io.tsuzuku.status.application;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * An organisation's failures of a period replayed under a policy, beside what happened
 * (docs/admin-api.md, "Policy backtest"). Each month's figures are as of its last day, counting
 * the failures of the period that began by then.
 *
 * @param assumptions the model's, each with a code (a page may say it in its own language) and in words
 */
public record BacktestResult(
    LocalDate from, LocalDate to, LocalDate asOf, BacktestPolicy policy, long failures, List<MonthEnd> months, Side actual,
    Side replayed, List<Assumption> assumptions) {

  public record Assumption(String code, String text) {}

  /** A month's figures at its end (or today). */
  public record MonthEnd(YearMonth month, Side actual, Side replayed) {}

  /**
   * @param recovered failures recovered by then: supporters kept, paying again
   * @param cancelled failures cancelled by then: supporters lost
   * @param recoveredYen the failed periods' yen recovered by then
   */
  public record Side(long recovered, long cancelled, long recoveredYen) {}
}
