package io.tsuzuku.status.application;

import io.tsuzuku.security.RequestRefused;
import java.util.List;
import java.util.TreeSet;

/**
 * A rule for what follows a failed payment, to replay an organisation's failures under (docs/admin-api.md,
 * "Policy backtest").
 *
 * @param deadline the old rule: no retry of any kind; cancelled on the next payment date unless
 *     the supporter re-paid before (every other setting must then be left out)
 * @param automaticRetries automatic retries after the failed scheduled charge, 0–10
 * @param retryIntervalDays days between them, 1–60
 * @param retryHardDeclines whether retries run on a card declined for good too (they never bring it
 *     back: the model's "never" class); false is the product's rule
 * @param standingRetryDays days of the month (1–31; a day past the month's end is its last day) on
 *     which every contract in ERROR is retried
 * @param cancelAfterMonthsInError cancel a contract this many months after it entered ERROR, 1–60;
 *     null: never
 */
public record BacktestPolicy(
    boolean deadline,
    int automaticRetries,
    int retryIntervalDays,
    boolean retryHardDeclines,
    List<Integer> standingRetryDays,
    Integer cancelAfterMonthsInError) {

  /** The rule before this product, which legacy contracts keep. */
  public static final BacktestPolicy OLD_RULE = new BacktestPolicy(true, 0, 7, false, List.of(), null);

  public BacktestPolicy {
    check(standingRetryDays == null || standingRetryDays.stream().allMatch(d -> d != null && d >= 1 && d <= 31),
        "standingRetryDays are days of the month, 1 to 31");
    standingRetryDays = standingRetryDays == null ? List.of() : List.copyOf(new TreeSet<>(standingRetryDays));
    check(automaticRetries >= 0 && automaticRetries <= 10, "automaticRetries is 0 to 10");
    check(retryIntervalDays >= 1 && retryIntervalDays <= 60, "retryIntervalDays is 1 to 60");
    check(cancelAfterMonthsInError == null || (cancelAfterMonthsInError >= 1 && cancelAfterMonthsInError <= 60),
        "cancelAfterMonthsInError is 1 to 60, or absent");
    check(!deadline || (automaticRetries == 0 && standingRetryDays.isEmpty() && cancelAfterMonthsInError == null),
        "the deadline rule has no retries and cancels by itself: leave the other settings out");
  }

  private static void check(boolean valid, String message) {
    if (!valid) {
      throw RequestRefused.invalid("INVALID_POLICY", message);
    }
  }
}
