package io.tsuzuku.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.billing.domain.BilledContract.Cohort;
import io.tsuzuku.calendar.BillingCalendar.Interval;
import io.tsuzuku.calendar.BillingCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dates of SPEC.md §3, as a table. */
class ChargeDatesTest {

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
    assertThat(contract(interval, anchorDay, anchorMonth, period).paidScheduled(period).nextChargeOn()).isEqualTo(next);
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
    var contract = contract(Interval.MONTHLY, 15, 1, failedPeriod);

    var recovered = contract.recoveredOn(paidOn);

    assertThat(recovered.nextChargeOn()).isEqualTo(next).isAfter(paidOn);
  }

  @Test
  void afterDowntimeARunChargesOnlyTheLatestDuePeriod() {
    var contract = contract(Interval.MONTHLY, 1, 1, LocalDate.of(2027, 1, 1));

    assertThat(contract.periodDueOn(LocalDate.of(2027, 3, 10))).isEqualTo(LocalDate.of(2027, 3, 1));
    assertThat(contract.periodDueOn(LocalDate.of(2027, 1, 1))).isEqualTo(LocalDate.of(2027, 1, 1));
  }

  @Test
  void onlyActiveContractsAreDue() {
    var contract = contract(Interval.MONTHLY, 1, 1, LocalDate.of(2027, 1, 1));

    assertThat(contract.isDueOn(LocalDate.of(2027, 1, 1))).isTrue();
    assertThat(contract.isDueOn(LocalDate.of(2026, 12, 31))).isFalse();
    assertThat(contract.withStatus("RETRYING").isDueOn(LocalDate.of(2027, 1, 1))).isFalse();
    assertThat(contract.withStatus("ERROR").isDueOn(LocalDate.of(2027, 1, 1))).isFalse();
  }

  @Test
  void refusalsCoverCancelledContractsLegacyRetriesAndTheAttemptBudget() {
    var now = Instant.parse("2027-03-01T00:00:00Z");
    var active = contract(Interval.MONTHLY, 1, 1, LocalDate.of(2027, 3, 1));
    var legacy = new BilledContract("c", "o", Cohort.LEGACY, active.calendar(), 3000, "tok", "RETRYING", null);
    List<Instant> fifteen = IntStream.range(0, 15).mapToObj(i -> now.minusSeconds(86_400L * i + 60)).toList();
    List<Instant> fourteen = fifteen.subList(0, 14);

    assertThat(ChargeRules.refusal(active.withStatus("CANCELLED"), ChargeKind.SCHEDULED, List.of(), now)).contains("contract_cancelled");
    assertThat(ChargeRules.refusal(legacy, ChargeKind.AUTO_RETRY, List.of(), now)).contains("legacy_contract_retry");
    assertThat(ChargeRules.refusal(legacy, ChargeKind.SUPPORTER_REPAYMENT, List.of(), now)).isEmpty();
    assertThat(ChargeRules.refusal(active, ChargeKind.MANUAL_RETRY, fifteen, now)).contains("attempt_budget_exceeded");
    assertThat(ChargeRules.refusal(active, ChargeKind.MANUAL_RETRY, fourteen, now)).isEmpty();
    assertThat(ChargeRules.refusal(active, ChargeKind.SCHEDULED, Collections.nCopies(15, now.minusSeconds(86_400L * 31)), now))
        .as("attempts older than 30 days do not count").isEmpty();
  }

  private static BilledContract contract(Interval interval, int anchorDay, int anchorMonth, LocalDate next) {
    return new BilledContract("c-1", "org-1", Cohort.CURRENT, new BillingCalendar(interval, anchorDay, anchorMonth), 3000, "tok_ok", "ACTIVE", next);
  }
}
