package io.tsuzuku.status.application;

import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.toList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.kit.outbox.MessagePublisher;
import io.tsuzuku.kit.outbox.OutboxRelay;
import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.status.application.RecoveryAnalytics.Group;
import io.tsuzuku.status.application.RecoveryAnalytics.Recovered;
import io.tsuzuku.status.application.port.FailureHistory;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Attempt;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Outcome.Result;
import io.tsuzuku.status.domain.Supporter;
import io.tsuzuku.testkit.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Recovery analytics on histories made by the domain itself, every figure worked out by hand in
 * the comments: five contracts fail six times between October and February.
 */
class RecoveryAnalysisTest {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  /** 2027-03-01 09:00 in Tokyo. */
  private static final Instant NOW = Instant.parse("2027-03-01T00:00:00Z");
  private static final LocalDate FROM = LocalDate.of(2026, 10, 1);
  private static final LocalDate TO = LocalDate.of(2027, 2, 28);

  private final InMemoryContractStore store = new InMemoryContractStore();
  private final ContractEvents contracts = new ContractEvents(store, new NoMessages(), () -> {});
  private final MovableClock clock = new MovableClock(NOW);
  private final AtomicInteger reads = new AtomicInteger();
  /** What the MongoDB adapter hands over, from every applied line: the analysis skips what does not matter. */
  private final FailureHistory history = (orgId, since, each) -> {
    reads.incrementAndGet();
    store.history.values().stream()
        .filter(h -> h.orgId().equals(orgId) && h.result() == Result.APPLIED && !h.at().isBefore(since))
        .collect(groupingBy(HistoryEntry::contractId, TreeMap::new, toList()))
        .values()
        .forEach(lines -> each.accept(lines.stream().sorted(Comparator.comparing(HistoryEntry::at)).toList()));
  };
  private final RecoveryAnalysis analysis = new RecoveryAnalysis(
      history, new AdminPolicy(TOKYO, Duration.ofDays(90), LocalTime.of(10, 0), Duration.ofDays(30), 5), clock);

  @Test
  void failuresAreCountedByDeclineCohortAmountPathAndAgeInErrorWithTheDaysTheyTookToRecover() {
    aPopulation();

    var a = analysis.analyse("org-1", FROM, TO);

    assertThat(a.asOf()).isEqualTo(LocalDate.of(2027, 3, 1));
    // six failures began in the period (c-6's before it, c-7 is another organisation's); recovered
    // after 7 (c-1), 45 (c-3) and 107 days (c-2): the median is the 2nd of 3, the 90th percentile the 3rd
    assertThat(row(a.total())).isEqualTo("ALL failed=6 recovered=3 cancelled=1 open=2 rate=0.5 median=45 p90=107 yen=18000");
    assertThat(a.byDeclineClass()).extracting(RecoveryAnalysisTest::row).containsExactly(
        "SOFT_DECLINE failed=5 recovered=2 cancelled=1 open=2 rate=0.4 median=7 p90=45 yen=15000",
        "HARD_DECLINE failed=1 recovered=1 cancelled=0 open=0 rate=1.0 median=107 p90=107 yen=3000");
    assertThat(a.byDeclineCode()).extracting(RecoveryAnalysisTest::row).containsExactly(
        "insufficient_funds failed=4 recovered=2 cancelled=1 open=1 rate=0.5 median=7 p90=45 yen=15000",
        "card_declined failed=1 recovered=0 cancelled=0 open=1 rate=0.0 median=null p90=null yen=0",
        "expired_card failed=1 recovered=1 cancelled=0 open=0 rate=1.0 median=107 p90=107 yen=3000");
    assertThat(a.byCohort()).extracting(RecoveryAnalysisTest::row).containsExactly(
        "CURRENT failed=5 recovered=3 cancelled=1 open=1 rate=0.6 median=45 p90=107 yen=18000",
        "LEGACY failed=1 recovered=0 cancelled=0 open=1 rate=0.0 median=null p90=null yen=0");
    assertThat(a.byAmountBand()).extracting(RecoveryAnalysisTest::row).containsExactly(
        "UNDER_1000 failed=1 recovered=0 cancelled=1 open=0 rate=0.0 median=null p90=null yen=0",
        "FROM_3000_TO_4999 failed=4 recovered=2 cancelled=0 open=2 rate=0.5 median=7 p90=107 yen=6000",
        "FROM_10000 failed=1 recovered=1 cancelled=0 open=0 rate=1.0 median=45 p90=45 yen=12000");
    // c-2 was in ERROR from 10/05 to 01/20 (3 months), c-3 from 12/01 to 12/25, c-1 never
    assertThat(a.byPath()).extracting(RecoveryAnalysisTest::row).containsExactly(
        "AUTO_RETRY recovered=1 share=0.16666666666666666 median=7 p90=7 yen=3000",
        "MANUAL_RETRY recovered=1 share=0.16666666666666666 median=45 p90=45 yen=12000",
        "SUPPORTER_REPAYMENT recovered=1 share=0.16666666666666666 median=107 p90=107 yen=3000");
    assertThat(a.byMonthsInError()).extracting(RecoveryAnalysisTest::row).containsExactly(
        "NOT_IN_ERROR recovered=1 share=0.16666666666666666 median=7 p90=7 yen=3000",
        "UNDER_1_MONTH recovered=1 share=0.16666666666666666 median=45 p90=45 yen=12000",
        "MONTHS_3_TO_6 recovered=1 share=0.16666666666666666 median=107 p90=107 yen=3000");
    // October's last failure is 6 months old on 2027-04-30, after today: its 6- and 12-month shares are not known yet
    assertThat(a.cohorts()).extracting(m -> m.month() + " failed=" + m.failed() + " " + m.recoveredWithin().stream()
            .map(w -> w.months() + ":" + w.recovered() + "/" + w.share()).toList())
        .containsExactly(
            "2026-10 failed=2 [1:1/0.5, 2:1/0.5, 3:1/0.5, 6:2/null, 12:2/null]",
            "2026-11 failed=2 [1:0/0.0, 2:1/0.5, 3:1/0.5, 6:1/null, 12:1/null]",
            "2027-02 failed=2 [1:0/null, 2:0/null, 3:0/null, 6:0/null, 12:0/null]");
    assertThat(a.cohorts().get(0).month()).isEqualTo(YearMonth.of(2026, 10));
  }

  @Test
  void aYearlyContractCountsATwelfthOfItsAmountAndExactlyAMonthInErrorIsTheSummarysYoungestBand() {
    var lines = List.of(
        line("2026-11-01T01:00:00Z", "SCHEDULED_CHARGE_FAILED", io.tsuzuku.status.domain.Status.ACTIVE,
            io.tsuzuku.status.domain.Status.RETRYING, null),
        line("2026-11-22T01:00:00Z", "RETRIES_EXHAUSTED", io.tsuzuku.status.domain.Status.RETRYING,
            io.tsuzuku.status.domain.Status.ERROR, null),
        line("2026-12-22T01:00:00Z", "PAYMENT_SUCCEEDED", io.tsuzuku.status.domain.Status.ERROR,
            io.tsuzuku.status.domain.Status.ACTIVE, "MANUAL_RETRY"));
    var yearly = new RecoveryAnalysis((orgId, since, each) -> each.accept(lines),
        new AdminPolicy(TOKYO, Duration.ofDays(90), LocalTime.of(10, 0), Duration.ofDays(30), 5), clock);

    var a = yearly.analyse("org-1", FROM, TO);

    assertThat(a.byAmountBand()).extracting(RecoveryAnalysisTest::row)
        .containsExactly("FROM_1000_TO_2999 failed=1 recovered=1 cancelled=0 open=0 rate=1.0 median=51 p90=51 yen=1000");
    assertThat(a.byMonthsInError()).extracting(Recovered::key).containsExactly("UNDER_1_MONTH");
  }

  @Test
  void theAnswerIsKeptForTheRestOfTheDayInTokyoAndReadAgainTheNextDay() {
    aPopulation();
    var first = analysis.analyse("org-1", FROM, TO);

    clock.set(LocalDate.of(2027, 3, 1).atTime(23, 59).atZone(TOKYO).toInstant());
    succeed("c-5", ChargeKind.SUPPORTER_REPAYMENT, at(2027, 3, 1), LocalDate.of(2027, 2, 1));
    relay();
    assertThat(analysis.analyse("org-1", FROM, TO)).isSameAs(first);
    assertThat(reads).hasValue(1);

    clock.advance(Duration.ofMinutes(1));
    var nextDay = analysis.analyse("org-1", FROM, TO);
    assertThat(reads).hasValue(2);
    assertThat(nextDay.total().recovered()).isEqualTo(4);
    assertThat(analysis.analyse("org-2", FROM, TO).total().failed()).isEqualTo(1);
  }

  @Test
  void aPeriodThatEndsBeforeItStartsIsRefusedWithoutReading() {
    assertThatThrownBy(() -> analysis.analyse("org-1", TO, FROM))
        .isInstanceOf(RequestRefused.class).hasMessageContaining("'to' is before 'from'");
    assertThat(reads).hasValue(0);
  }

  private void aPopulation() {
    var october = LocalDate.of(2026, 10, 1);
    var november = LocalDate.of(2026, 11, 1);
    var february = LocalDate.of(2027, 2, 1);
    // c-1: 7 days by the automatic retry, then fails again in February (open)
    registered("c-1", "org-1", Cohort.CURRENT, 3000);
    fail("c-1", ChargeKind.SCHEDULED, at(2026, 10, 5), october, "insufficient_funds", "SOFT_DECLINE");
    succeed("c-1", ChargeKind.AUTO_RETRY, at(2026, 10, 12), october);
    fail("c-1", ChargeKind.SCHEDULED, at(2027, 2, 5), february, "card_declined", "SOFT_DECLINE");
    // c-2: an expired card, in ERROR the same day, re-paid by the supporter 107 days later
    registered("c-2", "org-1", Cohort.CURRENT, 3000);
    fail("c-2", ChargeKind.SCHEDULED, at(2026, 10, 5), october, "expired_card", "HARD_DECLINE");
    exhausted("c-2", at(2026, 10, 5), october);
    succeed("c-2", ChargeKind.SUPPORTER_REPAYMENT, at(2027, 1, 20), october);
    // c-3: 12,000 yen, in ERROR on 12/01, back by a manual retry 45 days after the failure
    registered("c-3", "org-1", Cohort.CURRENT, 12_000);
    fail("c-3", ChargeKind.SCHEDULED, at(2026, 11, 10), november, "insufficient_funds", "SOFT_DECLINE");
    exhausted("c-3", at(2026, 12, 1), november);
    succeed("c-3", ChargeKind.MANUAL_RETRY, at(2026, 12, 25), november);
    // c-4: 500 yen, cancelled by the administrator in ERROR
    registered("c-4", "org-1", Cohort.CURRENT, 500);
    fail("c-4", ChargeKind.SCHEDULED, at(2026, 11, 10), november, "insufficient_funds", "SOFT_DECLINE");
    exhausted("c-4", at(2026, 12, 1), november);
    contracts.apply("c-4", new ContractEvent.CancellationRequested("x-c-4", at(2027, 2, 1), Actor.administrator("admin"), "asked"));
    // c-5: a legacy contract, still retrying
    registered("c-5", "org-1", Cohort.LEGACY, 3000);
    fail("c-5", ChargeKind.SCHEDULED, at(2027, 2, 10), february, "insufficient_funds", "SOFT_DECLINE");
    // c-6 failed before the period, c-7 belongs to another organisation
    registered("c-6", "org-1", Cohort.CURRENT, 3000);
    fail("c-6", ChargeKind.SCHEDULED, at(2025, 12, 10), LocalDate.of(2025, 12, 1), "insufficient_funds", "SOFT_DECLINE");
    succeed("c-6", ChargeKind.AUTO_RETRY, at(2026, 10, 20), LocalDate.of(2025, 12, 1));
    registered("c-7", "org-2", Cohort.CURRENT, 3000);
    fail("c-7", ChargeKind.SCHEDULED, at(2026, 10, 5), october, "insufficient_funds", "SOFT_DECLINE");
    relay();
  }

  private static String row(Group g) {
    return g.key() + " failed=" + g.failed() + " recovered=" + g.recovered() + " cancelled=" + g.cancelled() + " open=" + g.open()
        + " rate=" + g.recoveryRate() + " median=" + g.medianDaysToRecover() + " p90=" + g.p90DaysToRecover()
        + " yen=" + g.recoveredMonthlyYen();
  }

  private static String row(Recovered r) {
    return r.key() + " recovered=" + r.recovered() + " share=" + r.shareOfFailed() + " median=" + r.medianDaysToRecover()
        + " p90=" + r.p90DaysToRecover() + " yen=" + r.recoveredMonthlyYen();
  }

  private static HistoryEntry line(String at, String trigger, io.tsuzuku.status.domain.Status from,
      io.tsuzuku.status.domain.Status to, String path) {
    return new HistoryEntry("y:" + at, "y", "org-1", "e-" + at, Instant.parse(at), trigger, "billing-service", Result.APPLIED, from, to,
        null, 12_000, path, "insufficient_funds", "SOFT_DECLINE", "CURRENT", "YEARLY", 1);
  }

  /** 10:00 in Tokyo on that day. */
  private static Instant at(int year, int month, int day) {
    return LocalDate.of(year, month, day).atTime(10, 0).atZone(TOKYO).toInstant();
  }

  private void relay() {
    OutboxRelay.sole(store, MessagePublisher.oneByOne(message -> {})).relayPending();
  }

  private void registered(String id, String orgId, Cohort cohort, long amountYen) {
    contracts.register(Contract.register(id, orgId, cohort, new Supporter("s-" + id, "n", "e@example.org"), amountYen,
        at(2025, 1, 1)), "reg-" + id);
  }

  private void fail(String id, ChargeKind kind, Instant at, LocalDate period, String code, String failureClass) {
    var amount = store.load(id).orElseThrow().contract().amountYen();
    assertThat(contracts.apply(id, new ContractEvent.PaymentFailed("f-" + id + "-" + at, at,
        new Attempt(id + ":" + period + ":" + kind, period, kind, 0), amount, new Failure(code, failureClass, at))))
        .isEqualTo(ContractEvents.Result.APPLIED);
  }

  private void exhausted(String id, Instant at, LocalDate period) {
    var last = store.load(id).orElseThrow().contract().lastFailure();
    assertThat(contracts.apply(id, new ContractEvent.RetriesExhausted("ex-" + id + "-" + at, at, period, last)))
        .isEqualTo(ContractEvents.Result.APPLIED);
  }

  private void succeed(String id, ChargeKind kind, Instant at, LocalDate period) {
    var amount = store.load(id).orElseThrow().contract().amountYen();
    assertThat(contracts.apply(id, new ContractEvent.PaymentSucceeded("s-" + id + "-" + at, at,
        new Attempt(id + ":" + period + ":" + kind + ":ok", period, kind, 1), amount)))
        .isEqualTo(ContractEvents.Result.APPLIED);
  }
}
