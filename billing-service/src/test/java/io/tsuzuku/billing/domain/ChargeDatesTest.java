package io.tsuzuku.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.calendar.BillingCalendar.Interval;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dates and refusals of the billing calendar (docs/ledger.md), as the ledger decides them, as tables. */
class ChargeDatesTest {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

  @ParameterizedTest(name = "{0} anchor {1}/{2}: paid {3} → next {4}")
  @CsvSource({
    // a scheduled charge paid on its date: the next anchor date
    "MONTHLY, 31, 1, 2027-01-31, 2027-02-28", // anchor 31 in a non-leap February
    "MONTHLY, 31, 1, 2028-01-31, 2028-02-29", // and in a leap one
    "MONTHLY, 31, 1, 2027-02-28, 2027-03-31",
    "YEARLY, 29, 2, 2028-02-29, 2029-02-28",  // yearly on 29 February
    "YEARLY, 29, 2, 2031-02-28, 2032-02-29"
  })
  void aPaidScheduledChargeMovesTheNextChargeToTheNextAnchorDate(
      Interval interval, int anchorDay, int anchorMonth, LocalDate period, LocalDate next) {
    var contract = contract(new BillingCalendar(interval, anchorDay, anchorMonth), period);

    assertThat(paid(contract, ChargeKind.SCHEDULED, period, at(period)).nextChargeOn()).isEqualTo(next);
  }

  @ParameterizedTest(name = "failed {0}, recovered {1} → next {2}")
  @CsvSource({
    "2027-01-15, 2027-02-14, 2027-02-15", // recovered the day before the next anchor: charged the next day
    "2027-01-15, 2027-02-15, 2027-03-15", // recovered on the anchor day itself: strictly after
    "2027-01-15, 2027-01-20, 2027-02-15",
    "2027-01-15, 2030-06-20, 2030-07-15"  // recovered three years late: still in the future
  })
  void aRecoveryMovesTheNextChargeToTheFirstAnchorDateStrictlyAfterThePayment(
      LocalDate failedPeriod, LocalDate paidOn, LocalDate next) {
    var failed = failedScheduled(contract(new BillingCalendar(Interval.MONTHLY, 15, 1), failedPeriod), failedPeriod);

    var recovered = paid(failed, ChargeKind.MANUAL_RETRY, failedPeriod, at(paidOn));

    assertThat(recovered.nextChargeOn()).isEqualTo(next).isAfter(paidOn);
    assertThat(recovered.outstandingPeriod()).isNull();
  }

  @Test
  void afterDowntimeARunChargesOnlyTheLatestDuePeriod() {
    var contract = contract(new BillingCalendar(Interval.MONTHLY, 1, 1), LocalDate.of(2027, 1, 1));

    assertThat(contract.periodDueOn(LocalDate.of(2027, 3, 10))).isEqualTo(LocalDate.of(2027, 3, 1));
    assertThat(contract.periodDueOn(LocalDate.of(2027, 1, 1))).isEqualTo(LocalDate.of(2027, 1, 1));
  }

  @Test
  void aContractWithAnOutstandingPeriodIsNotDue() {
    var period = LocalDate.of(2027, 1, 1);
    var contract = contract(new BillingCalendar(Interval.MONTHLY, 1, 1), period);

    assertThat(contract.isDueOn(period)).isTrue();
    assertThat(contract.isDueOn(period.minusDays(1))).isFalse();
    assertThat(failedScheduled(contract, period).isDueOn(period.plusMonths(2))).isFalse();
  }

  @Test
  void theAttemptBudgetCountsAttemptsOfTheLastThirtyDaysOnly() {
    var period = LocalDate.of(2027, 1, 1);
    var now = Instant.parse("2027-03-01T01:00:00Z");
    var failed = failedScheduled(contract(new BillingCalendar(Interval.MONTHLY, 1, 1), period), period);

    assertThat(refusal(withAttempts(failed, period, now, 15, 1), now)).isEqualTo("attempt_budget_exceeded");
    assertThat(refusal(withAttempts(failed, period, now, 14, 1), now)).isNull();
    assertThat(refusal(withAttempts(failed, period, now, 15, 31), now)).as("older than 30 days").isNull();
  }

  /** The networks count attempts on a card: a supporter's new card starts with none. */
  @Test
  void theAttemptBudgetIsCountedPerCard() {
    var period = LocalDate.of(2027, 1, 1);
    var now = Instant.parse("2027-03-01T01:00:00Z");
    var spent = withAttempts(failedScheduled(contract(new BillingCalendar(Interval.MONTHLY, 1, 1), period), period), period, now, 15, 1);

    var sameCard = Ledger.claim(spent, new Ledger.Request("c-1:x:SUPPORTER_REPAYMENT:1", ChargeKind.SUPPORTER_REPAYMENT, 1,
        spent.outstandingPeriod(), "r-1"), now, TOKYO);
    var newCard = Ledger.claim(spent, new Ledger.Request("c-1:x:SUPPORTER_REPAYMENT:1", ChargeKind.SUPPORTER_REPAYMENT, 1,
        spent.outstandingPeriod(), "r-1", "tok_new", null), now, TOKYO);

    assertThat(sameCard).isInstanceOfSatisfying(Ledger.Claim.Refused.class,
        r -> assertThat(r.refused().failureCode()).isEqualTo("attempt_budget_exceeded"));
    assertThat(newCard).isInstanceOfSatisfying(Ledger.Claim.Charge.class,
        c -> assertThat(c.pending().paymentMethodToken()).isEqualTo("tok_new"));
  }

  private static String refusal(BilledContract c, Instant now) {
    var claim = Ledger.claim(c, new Ledger.Request("c-1:x:MANUAL_RETRY:99", ChargeKind.MANUAL_RETRY, 99, c.outstandingPeriod(), "e"),
        now, TOKYO);
    return claim instanceof Ledger.Claim.Refused refused ? refused.refused().failureCode() : null;
  }

  /** {@code count} declined manual retries, {@code daysApart} days apart, the latest a minute before now. */
  private static BilledContract withAttempts(BilledContract c, LocalDate period, Instant now, int count, int daysApart) {
    var attempts = new ArrayList<Attempt>();
    for (int i = 0; i < count; i++) {
      var at = now.minusSeconds(60 + 86_400L * daysApart * (count - i));
      attempts.add(Attempt.pending("c-1:" + i, "c-1", "org-1", ChargeKind.MANUAL_RETRY, i, period, 3000, c.paymentMethodToken(), at,
              "e" + i, false)
          .failed("card_declined", FailureClass.SOFT_DECLINE, at));
    }
    return c.with(d -> d.attempts = attempts);
  }

  private static BilledContract contract(BillingCalendar calendar, LocalDate first) {
    return BilledContract.registration("c-1", "org-1", Cohort.CURRENT, calendar, 3000, "tok_ok", first);
  }

  private static Instant at(LocalDate day) {
    return day.atTime(LocalTime.of(9, 0)).atZone(TOKYO).toInstant();
  }

  private static BilledContract failedScheduled(BilledContract c, LocalDate period) {
    return finish(c, ChargeKind.SCHEDULED, period, at(period), false);
  }

  private static BilledContract paid(BilledContract c, ChargeKind kind, LocalDate period, Instant at) {
    return finish(c, kind, period, at, true);
  }

  private static BilledContract finish(BilledContract c, ChargeKind kind, LocalDate period, Instant at, boolean success) {
    var pending = Attempt.pending("c-1:" + period + ":" + kind + ":" + at, "c-1", "org-1", kind, 0, period, 3000, "tok", at, null, false);
    var inFlight = c.with(d -> d.inFlight = pending);
    var finished = success ? pending.succeeded("ref", at) : pending.failed("card_declined", FailureClass.SOFT_DECLINE, at);
    return Ledger.complete(inFlight, finished, TOKYO).next();
  }
}
