package io.tsuzuku.status.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.status.domain.Status;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backtest's model on eight failures of October to February, each policy's months worked out by
 * hand in the comments (figures at each month's end: recovered, cancelled, yen recovered).
 */
class BacktestTest {

  private static final LocalDate FROM = LocalDate.of(2026, 10, 1);
  private static final LocalDate TO = LocalDate.of(2027, 2, 28);
  private static final LocalDate AS_OF = LocalDate.of(2027, 3, 1);

  private static final List<FailureEpisode> FAILURES = List.of(
      // e1: back by the second automatic retry
      failure("e1", "2026-10-05", "SOFT_DECLINE", "CURRENT", 3000, "2026-10-19", Status.ACTIVE, "PAYMENT_SUCCEEDED", "AUTO_RETRY", null),
      // e2: in ERROR on 10/26, back by the manual retry of 11/25
      failure("e2", "2026-10-05", "SOFT_DECLINE", "CURRENT", 5000, "2026-11-25", Status.ACTIVE, "PAYMENT_SUCCEEDED", "MANUAL_RETRY", null),
      // e3: a card declined for good, re-paid with a new one on 11/20
      failure("e3", "2026-11-10", "HARD_DECLINE", "CURRENT", 2000, "2026-11-20", Status.ACTIVE, "PAYMENT_SUCCEEDED", "SUPPORTER_REPAYMENT", null),
      // e4: the supporter cancelled on 12/15
      failure("e4", "2026-11-10", "SOFT_DECLINE", "CURRENT", 4000, "2026-12-15", Status.CANCELLED, "CANCELLED_BY_SUPPORTER", null, null),
      // e5: a legacy contract cancelled on its deadline: the same under every policy
      failure("e5", "2026-12-05", "SOFT_DECLINE", "LEGACY", 3000, "2027-01-05", Status.CANCELLED, "REPAYMENT_DEADLINE_PASSED", null, null),
      // e6: never back
      failure("e6", "2027-01-10", "SOFT_DECLINE", "CURRENT", 3000, null, null, null, null, null),
      // e8: back by the manual retry of 01/25, failing again on 01/30 (e8b, never back): its card worked from 01/25 to 01/29
      failure("e8", "2026-12-01", "SOFT_DECLINE", "CURRENT", 1000, "2027-01-25", Status.ACTIVE, "PAYMENT_SUCCEEDED", "MANUAL_RETRY",
          "2027-01-30"),
      failure("e8", "2027-01-30", "SOFT_DECLINE", "CURRENT", 1000, null, null, null, null, null),
      // e7 began before the period
      failure("e7", "2026-09-10", "SOFT_DECLINE", "CURRENT", 3000, "2026-10-10", Status.ACTIVE, "PAYMENT_SUCCEEDED", "AUTO_RETRY", null));

  private static final List<String> WHAT_HAPPENED = List.of(
      "2026-10 1/0/3000", "2026-11 3/0/10000", "2026-12 3/1/10000", "2027-01 4/2/11000", "2027-02 4/2/11000", "2027-03 4/2/11000");

  @Test
  void thePolicyInForceReplaysWhatHappenedMonthByMonth() {
    var result = replay(new BacktestPolicy(false, 3, 7, false, List.of(25), null));

    assertThat(result.failures()).isEqualTo(8);
    assertThat(months(result, true)).isEqualTo(WHAT_HAPPENED);
    assertThat(months(result, false)).isEqualTo(WHAT_HAPPENED);
    assertThat(result.assumptions()).isEqualTo(Backtest.ASSUMPTIONS);
  }

  @Test
  void withoutRetriesOnlyTheSupportersOwnRePaymentBringsOneBack() {
    var result = replay(new BacktestPolicy(false, 0, 7, false, List.of(), null));

    // e3 in November; e4 and e5 cancelled as they were; the rest stay in ERROR
    assertThat(months(result, false)).containsExactly(
        "2026-10 0/0/0", "2026-11 1/0/2000", "2026-12 1/1/2000", "2027-01 1/2/2000", "2027-02 1/2/2000", "2027-03 1/2/2000");
    assertThat(months(result, true)).isEqualTo(WHAT_HAPPENED);
  }

  @Test
  void theOldRuleCancelsAMonthAfterTheFailureUnlessTheSupporterRePaidBefore() {
    var result = replay(BacktestPolicy.OLD_RULE);

    // e1, e2 cancelled 11/05; e3 re-paid 11/20 before its deadline 12/10; e4 on 12/10; e5 and e8 (01/01) in
    // January; e6 (02/10) in February; e8b does not happen: e8's contract was cancelled before
    assertThat(months(result, false)).containsExactly(
        "2026-10 0/0/0", "2026-11 1/2/2000", "2026-12 1/3/2000", "2027-01 1/5/2000", "2027-02 1/6/2000", "2027-03 1/6/2000");
  }

  @Test
  void underTheOldRuleAYearlyContractWaitsForItsNextPaymentAYearLater() {
    var yearly = new FailureEpisode("y", LocalDate.of(2026, 10, 5), "code", "SOFT_DECLINE", "CURRENT", "YEARLY", 12_000, null, null,
        null, null, null, null);
    var backtest = new Backtest(BacktestPolicy.OLD_RULE, FROM, TO, AS_OF);
    backtest.add(yearly);
    backtest.add(failure("m", "2026-10-05", "SOFT_DECLINE", "CURRENT", 1000, null, null, null, null, null));

    assertThat(backtest.result().replayed()).isEqualTo(new BacktestResult.Side(0, 1, 0));
  }

  @Test
  void aStandingRetryOnTheFirstComesLaterAndCancellingAfterAMonthInErrorLosesWhatCameBackLater() {
    var result = replay(new BacktestPolicy(false, 3, 7, false, List.of(1), 1));

    // e1 back by its retry; e2's card works from 11/25, the next 1st is 12/01, after its cancellation on 11/26;
    // e3 re-paid 11/20 before 12/10; e4 cancelled by the supporter 12/15 before the policy's 01/01; e8 cancelled
    // 01/22 (its card worked 01/25 to 01/29, no 1st in between); e6 cancelled 02/28; e8b would be on 03/20
    assertThat(months(result, false)).containsExactly(
        "2026-10 1/0/3000", "2026-11 2/1/5000", "2026-12 2/2/5000", "2027-01 2/4/5000", "2027-02 2/5/5000", "2027-03 2/5/5000");
  }

  @Test
  void aCardWorksOnlyUntilTheContractsNextFailure() {
    var result = replay(new BacktestPolicy(false, 3, 7, false, List.of(1), null));

    // e2 back on 12/01 instead of 11/25; e8's card worked 01/25 to 01/29: the 1st of February is too late
    assertThat(months(result, false)).containsExactly(
        "2026-10 1/0/3000", "2026-11 2/0/5000", "2026-12 3/1/10000", "2027-01 3/2/10000", "2027-02 3/2/10000", "2027-03 3/2/10000");
  }

  @Test
  void aFailureThatBeginsWhileTheReplayIsStillFailingContinuesItWithoutAutomaticRetries() {
    var backtest = new Backtest(new BacktestPolicy(false, 1, 7, false, List.of(), null), FROM, TO, AS_OF);
    // back by the third automatic retry: one retry is not enough; the next month's failure, back by its
    // first automatic retry, finds the contract still failing in the replay: no automatic retry for it
    backtest.add(failure("c", "2026-10-05", "SOFT_DECLINE", "CURRENT", 1000, "2026-10-26", Status.ACTIVE, "PAYMENT_SUCCEEDED",
        "AUTO_RETRY", "2026-11-05"));
    backtest.add(failure("c", "2026-11-05", "SOFT_DECLINE", "CURRENT", 1000, "2026-11-12", Status.ACTIVE, "PAYMENT_SUCCEEDED",
        "AUTO_RETRY", null));

    assertThat(backtest.result().actual().recovered()).isEqualTo(2);
    assertThat(backtest.result().replayed().recovered()).isZero();
  }

  @Test
  void aStandingDayPastTheMonthsEndIsItsLastDay() {
    var failure = failure("e", "2027-02-03", "SOFT_DECLINE", "CURRENT", 1000, "2027-02-27", Status.ACTIVE, "PAYMENT_SUCCEEDED",
        "MANUAL_RETRY", null);
    var backtest = new Backtest(new BacktestPolicy(false, 0, 7, false, List.of(31), null), FROM, TO, AS_OF);
    backtest.add(failure);

    // the card works from 02/27; "the 31st" of February is the 28th
    assertThat(months(backtest.result(), false)).containsSubsequence("2027-01 0/0/0", "2027-02 1/0/1000");
  }

  @Test
  void aPolicyOutsideItsBoundsIsRefused() {
    assertThatThrownBy(() -> new BacktestPolicy(false, 11, 7, false, List.of(), null))
        .isInstanceOf(RequestRefused.class).hasMessageContaining("automaticRetries");
    assertThatThrownBy(() -> new BacktestPolicy(false, 3, 0, false, List.of(), null)).isInstanceOf(RequestRefused.class);
    assertThatThrownBy(() -> new BacktestPolicy(false, 3, 7, false, List.of(32), null)).isInstanceOf(RequestRefused.class);
    assertThatThrownBy(() -> new BacktestPolicy(false, 3, 7, false, List.of(), 0)).isInstanceOf(RequestRefused.class);
    assertThatThrownBy(() -> new BacktestPolicy(true, 3, 7, false, List.of(), null))
        .isInstanceOf(RequestRefused.class).hasMessageContaining("deadline");
  }

  private static BacktestResult replay(BacktestPolicy policy) {
    var backtest = new Backtest(policy, FROM, TO, AS_OF);
    FAILURES.forEach(backtest::add);
    return backtest.result();
  }

  private static List<String> months(BacktestResult result, boolean actual) {
    return result.months().stream().map(m -> {
      var side = actual ? m.actual() : m.replayed();
      return m.month() + " " + side.recovered() + "/" + side.cancelled() + "/" + side.recoveredYen();
    }).toList();
  }

  private static FailureEpisode failure(String id, String began, String declineClass, String cohort, long amountYen, String ended,
      Status endedIn, String endedBy, String path, String nextBegan) {
    return new FailureEpisode(id, LocalDate.parse(began), "code", declineClass, cohort, "MONTHLY", amountYen, null, endedIn,
        ended == null ? null : LocalDate.parse(ended), endedBy, path, nextBegan == null ? null : LocalDate.parse(nextBegan));
  }
}
