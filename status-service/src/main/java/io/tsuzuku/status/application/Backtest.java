package io.tsuzuku.status.application;

import io.tsuzuku.status.application.BacktestResult.Side;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.status.domain.Trigger;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays failures under a policy with a stated model (docs/admin-api.md, "Policy backtest"), one
 * failure at a time, keeping only counts by month: what happened beside what the policy would have
 * done. The model is {@link #ASSUMPTIONS}, in the words the answer carries.
 */
public final class Backtest {

  public static final List<BacktestResult.Assumption> ASSUMPTIONS = List.of(
      new BacktestResult.Assumption("CARD_WORKS_ONCE_SEEN",
          "A card is taken to work from the first day it was seen to work, by any path, until the contract's next failure;"
              + " a failure that never recovered is taken to have a card that never worked again."),
      new BacktestResult.Assumption("NEW_CARD_AFTER_HARD_DECLINE",
          "A card declined for good (HARD_DECLINE) comes back only with the supporter's re-payment with a new card:"
              + " retries never recover it."),
      new BacktestResult.Assumption("PEOPLE_ACT_AS_THEY_DID",
          "Supporters re-pay and cancel on the days they did; administrators' cancellations happen on the days they did"
              + " unless the policy recovered the contract before."),
      new BacktestResult.Assumption("RETRY_DAYS",
          "Automatic retries run every interval after the failed charge; the contract enters ERROR on the day of the last"
              + " one (at once after a decline for good); standing retries run on their days of the month from then on."),
      new BacktestResult.Assumption("OLD_RULE_DEADLINE",
          "The old rule cancels a contract on its next payment date (a month after the failure, a year for a yearly"
              + " contract) unless the supporter re-paid before."),
      new BacktestResult.Assumption("LEGACY_KEEPS_ITS_RULE",
          "Legacy contracts keep their deadline rule under every policy: their failures count as they happened."),
      new BacktestResult.Assumption("ONE_FAILURE_AT_A_TIME",
          "A failure that begins while the replay is still failing continues that failure (no automatic retries, the same"
              + " day in ERROR); a contract the replay cancelled has no later failure."),
      new BacktestResult.Assumption("TOKYO_DAYS",
          "Days are Asia/Tokyo dates; a month's figures are those at its last day (or today)."));

  /** A month's changes, not cumulative: recovered, cancelled, yen, for what happened then what is replayed. */
  private static final int ACTUAL = 0;
  private static final int REPLAYED = 3;

  private final BacktestPolicy policy;
  private final LocalDate from;
  private final LocalDate to;
  private final LocalDate asOf;
  private final Map<YearMonth, long[]> changes = new TreeMap<>();
  private long failures;
  /** The contract last replayed, and the day the replay cancelled it (null: it was not). */
  private String contract;
  private LocalDate replayCancelled;
  /** Its failure the replay left unresolved when the next began: the day it began, the day it entered ERROR. */
  private LocalDate stillFailingSince;
  private LocalDate stillInErrorSince;

  public Backtest(BacktestPolicy policy, LocalDate from, LocalDate to, LocalDate asOf) {
    this.policy = policy;
    this.from = from;
    this.to = to;
    this.asOf = asOf;
  }

  /**
   * Counts a failure that began in the period, as it happened and as the policy replays it. A
   * contract's failures come one after the other, in time order: one that began after the replay
   * cancelled the contract does not happen in the replay; one that began while the replay was still
   * failing continues that failure (no automatic retries, the same day in ERROR, the same deadline).
   */
  public void add(FailureEpisode failure) {
    if (!failure.contractId().equals(contract)) {
      contract = failure.contractId();
      replayCancelled = null;
      stillFailingSince = null;
      stillInErrorSince = null;
    }
    if (failure.began().isBefore(from) || failure.began().isAfter(to)) {
      return;
    }
    failures++;
    if (failure.endedIn() != null) {
      count(ACTUAL, failure.recovered(), failure.ended(), failure.amountYen());
    }
    if (replayCancelled != null) {
      return;
    }
    var cohort = failure.cohort() == null ? Cohort.CURRENT.name() : failure.cohort();
    if (cohort.equals(Cohort.LEGACY.name())) {
      if (failure.endedIn() != null) {
        count(REPLAYED, failure.recovered(), failure.ended(), failure.amountYen());
      }
      replayCancelled = failure.endedIn() == Status.CANCELLED ? failure.ended() : null;
      return;
    }
    var recovery = ChargeKind.SUPPORTER_REPAYMENT.name().equals(failure.path()) ? failure.ended() : null;
    var cancellation = failure.endedIn() == Status.CANCELLED
        && !Trigger.REPAYMENT_DEADLINE_PASSED.name().equals(failure.endedBy()) ? failure.ended() : null;
    var continued = stillFailingSince != null;
    var began = continued ? stillFailingSince : failure.began();
    var inError = began;
    if (policy.deadline()) {
      var nextPayment = "YEARLY".equals(failure.interval()) ? began.plusYears(1) : began.plusMonths(1);
      cancellation = earlier(cancellation, nextPayment);
    } else {
      var hard = "HARD_DECLINE".equals(failure.declineClass());
      var retries = continued || (hard && !policy.retryHardDeclines()) ? 0 : policy.automaticRetries();
      inError = continued ? stillInErrorSince : began.plusDays((long) retries * policy.retryIntervalDays());
      if (policy.cancelAfterMonthsInError() != null) {
        cancellation = earlier(cancellation, inError.plusMonths(policy.cancelAfterMonthsInError()));
      }
      if (!hard && failure.recovered()) {
        var attempt = firstAttempt(failure.began(), retries, inError, failure.ended());
        if (failure.nextBegan() == null || attempt.isBefore(failure.nextBegan())) {
          recovery = earlier(recovery, attempt);
        }
      }
    }
    stillFailingSince = null;
    if (recovery != null && !recovery.isAfter(asOf) && (cancellation == null || recovery.isBefore(cancellation))) {
      count(REPLAYED, true, recovery, failure.amountYen());
    } else if (cancellation != null && !cancellation.isAfter(asOf)) {
      count(REPLAYED, false, cancellation, failure.amountYen());
      replayCancelled = cancellation;
    } else {
      stillFailingSince = began;
      stillInErrorSince = inError;
    }
  }

  /** The first retry of the policy on or after the day the card works: automatic, then standing. */
  private LocalDate firstAttempt(LocalDate began, int retries, LocalDate inError, LocalDate works) {
    for (int k = 1; k <= retries; k++) {
      var day = began.plusDays((long) k * policy.retryIntervalDays());
      if (!day.isBefore(works)) {
        return day;
      }
    }
    var start = works.isAfter(inError) ? works : inError;
    LocalDate first = null;
    for (var month = YearMonth.from(start); first == null && !policy.standingRetryDays().isEmpty(); month = month.plusMonths(1)) {
      for (var dayOfMonth : policy.standingRetryDays()) {
        var day = month.atDay(Math.min(dayOfMonth, month.lengthOfMonth()));
        if (!day.isBefore(start) && day.isAfter(began)) {
          first = earlier(first, day);
        }
      }
    }
    return first == null ? LocalDate.MAX : first;
  }

  private void count(int side, boolean recovered, LocalDate day, long amountYen) {
    var month = changes.computeIfAbsent(YearMonth.from(day), m -> new long[6]);
    if (recovered) {
      month[side]++;
      month[side + 2] += amountYen;
    } else {
      month[side + 1]++;
    }
  }

  private static LocalDate earlier(LocalDate a, LocalDate b) {
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  public long failures() {
    return failures;
  }

  /** Month by month from the period's first month to this one, each as of its last day. */
  public BacktestResult result() {
    var months = new ArrayList<BacktestResult.MonthEnd>();
    var sums = new long[6];
    for (var month = YearMonth.from(from); !month.isAfter(YearMonth.from(asOf)); month = month.plusMonths(1)) {
      var change = changes.getOrDefault(month, new long[6]);
      for (int i = 0; i < sums.length; i++) {
        sums[i] += change[i];
      }
      months.add(new BacktestResult.MonthEnd(month, side(sums, ACTUAL), side(sums, REPLAYED)));
    }
    return new BacktestResult(from, to, asOf, policy, failures, List.copyOf(months), side(sums, ACTUAL), side(sums, REPLAYED),
        ASSUMPTIONS);
  }

  private static Side side(long[] sums, int side) {
    return new Side(sums[side], sums[side + 1], sums[side + 2]);
  }
}
