package io.tsuzuku.status.application;

import io.tsuzuku.security.RequestRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.kit.outbox.MessagePublisher;
import io.tsuzuku.kit.outbox.OutboxRelay;
import io.tsuzuku.status.application.Summary.Band;
import io.tsuzuku.status.application.Summary.Figure;
import io.tsuzuku.status.application.port.ContractFigures;
import io.tsuzuku.status.domain.Attempt;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Outcome.Result;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.status.domain.Supporter;
import io.tsuzuku.status.domain.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The administrators' reports, on an in-memory store's history with a fixed clock. */
class ReportsTest {

  /** 2027-03-01 09:00 in Tokyo. */
  private static final Instant NOW = Instant.parse("2027-03-01T00:00:00Z");
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final LocalDate TODAY = LocalDate.of(2027, 3, 1);
  private static final LocalDate PERIOD = LocalDate.of(2026, 11, 1);

  private final InMemoryContractStore store = new InMemoryContractStore();
  private final ContractEvents contracts = new ContractEvents(store, new NoMessages(), () -> {});
  private final List<Object> figuresAsked = new ArrayList<>();
  private ContractFigures.Counts counts =
      new ContractFigures.Counts(Map.of(), List.of(Figure.NONE, Figure.NONE, Figure.NONE, Figure.NONE, Figure.NONE), Map.of());
  private final Reports reports =
      new Reports(
          (orgId, bounds, first, last) -> {
            figuresAsked.addAll(List.of(orgId, bounds, first, last));
            return counts;
          },
          (orgId, from, until) -> applied(orgId, from, until).stream()
              .filter(h -> Trigger.PAYMENT_SUCCEEDED.name().equals(h.trigger()))
              .filter(h -> h.from() == Status.RETRYING || h.from() == Status.ERROR)
              .toList(),
          (orgId, from, until) -> applied(orgId, from, until).stream()
              .filter(h -> Trigger.MANUAL_RETRY_FAILED.name().equals(h.trigger())
                  || ChargeKind.MANUAL_RETRY.name().equals(h.path()))
              .toList(),
          new AdminPolicy(TOKYO, Duration.ofDays(90), LocalTime.of(10, 0), Duration.ofDays(30), 5),
          Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void theSummaryAsksTheStoreOnceWithTheAgeBandsCutAtMonthsBeforeTodayInTokyo() {
    counts = new ContractFigures.Counts(
        Map.of(Status.ERROR, new Figure(15, 45_000), Status.ACTIVE, new Figure(7, 21_250)),
        List.of(new Figure(5, 15_000), new Figure(4, 12_000), new Figure(3, 9_000), new Figure(2, 6_000), new Figure(1, 3_000)),
        Map.of(TODAY.plusDays(3), new Figure(2, 6_000)));

    var summary = reports.summary("org-1");

    assertThat(figuresAsked).containsExactly("org-1",
        List.of(start(TODAY.minusMonths(12)), start(TODAY.minusMonths(6)), start(TODAY.minusMonths(3)), start(TODAY.minusMonths(1))),
        TODAY, TODAY.plusDays(13));
    assertThat(summary.today()).isEqualTo(TODAY);
    assertThat(summary.byStatus())
        .extracting(s -> s.status() + " " + s.contracts() + " " + s.monthlyYen())
        .containsExactly("ACTIVE 7 21250", "RETRYING 0 0", "ERROR 15 45000", "CANCELLED 0 0");
    assertThat(summary.errorByAge())
        .extracting(a -> a.band() + " " + a.errorSinceFrom() + " " + a.errorSinceBefore() + " " + a.contracts())
        .containsExactly(
            "UNDER_1_MONTH 2027-02-01 null 1",
            "MONTHS_1_TO_3 2026-12-01 2027-02-01 2",
            "MONTHS_3_TO_6 2026-09-01 2026-12-01 3",
            "MONTHS_6_TO_12 2026-03-01 2026-09-01 4",
            "OVER_12_MONTHS null 2026-03-01 5");
    assertThat(summary.manualRetries()).hasSize(Reports.COMING_DAYS);
    assertThat(summary.manualRetries().get(0).retryOn()).isEqualTo(TODAY);
    assertThat(summary.manualRetries())
        .filteredOn(day -> day.contracts() > 0)
        .extracting(day -> day.retryOn() + " " + day.contracts() + " " + day.monthlyYen())
        .containsExactly("2027-03-04 2 6000");
  }

  @Test
  void theRecoveryReportCountsRecoveriesByStatusAndPathWithAmountsInAllAndByMonth() {
    inError("c-1");
    inError("c-2");
    registered("c-3");
    fail("c-3", ChargeKind.SCHEDULED, NOW.minus(Duration.ofDays(33)));
    registered("c-4");
    fail("c-4", ChargeKind.SCHEDULED, NOW.minus(Duration.ofDays(3)));
    succeed("c-1", ChargeKind.MANUAL_RETRY, NOW.minus(Duration.ofDays(1)));
    succeed("c-2", ChargeKind.SUPPORTER_REPAYMENT, NOW.minus(Duration.ofDays(1)));
    succeed("c-3", ChargeKind.AUTO_RETRY, NOW.minus(Duration.ofDays(30))); // 2027-01-30 in Tokyo
    succeed("c-4", ChargeKind.AUTO_RETRY, NOW.minus(Duration.ofDays(1)));
    OutboxRelay.sole(store, MessagePublisher.oneByOne(message -> {})).relayPending();

    var report = reports.recovery("org-1", LocalDate.of(2027, 1, 1), LocalDate.of(2027, 2, 28));

    assertThat(report.rows())
        .extracting(r -> r.recoveredFrom() + " " + r.path() + " " + r.contracts() + " " + r.amountYen())
        .containsExactly("RETRYING AUTO_RETRY 2 6000", "ERROR MANUAL_RETRY 1 3000", "ERROR SUPPORTER_REPAYMENT 1 3000");
    assertThat(report.months())
        .extracting(m -> m.month() + " " + m.path() + " " + m.contracts() + " " + m.amountYen())
        .containsExactly("2027-01 AUTO_RETRY 1 3000", "2027-02 AUTO_RETRY 1 3000", "2027-02 MANUAL_RETRY 1 3000",
            "2027-02 SUPPORTER_REPAYMENT 1 3000");
    assertThat(report.months().get(0).month()).isEqualTo(YearMonth.of(2027, 1));
    assertThat(report.contracts()).isEqualTo(4);
    assertThat(report.amountYen()).isEqualTo(12_000);
  }

  @Test
  void manualRetriesAreCountedByTheDayOfTheMonthTheyRanOnInTokyo() {
    for (var id : List.of("c-1", "c-2", "c-3")) {
      inError(id);
    }
    var the25th = LocalDate.of(2027, 2, 25).atTime(10, 0).atZone(TOKYO).toInstant();
    var the10th = LocalDate.of(2027, 2, 10).atTime(10, 0).atZone(TOKYO).toInstant();
    fail("c-1", ChargeKind.MANUAL_RETRY, the10th);
    fail("c-2", ChargeKind.MANUAL_RETRY, the10th);
    succeed("c-1", ChargeKind.MANUAL_RETRY, the25th);
    fail("c-3", ChargeKind.MANUAL_RETRY, the25th);
    OutboxRelay.sole(store, MessagePublisher.oneByOne(message -> {})).relayPending();

    var report = reports.manualRetries("org-1", LocalDate.of(2027, 2, 1), LocalDate.of(2027, 2, 28));

    assertThat(report.days()).hasSize(31);
    assertThat(report.days())
        .filteredOn(d -> d.attempts() > 0)
        .extracting(d -> d.dayOfMonth() + ": " + d.attempts() + " " + d.recovered() + " " + d.recoveredYen())
        .containsExactly("10: 2 0 0", "25: 2 1 3000");
  }

  @Test
  void aPeriodThatEndsBeforeItStartsIsRefused() {
    assertThatThrownBy(() -> reports.manualRetries("org-1", TODAY, TODAY.minusDays(1)))
        .isInstanceOf(RequestRefused.class).hasMessageContaining("'to' is before 'from'");
    assertThatThrownBy(() -> reports.recovery("org-1", TODAY, TODAY.minusDays(1)))
        .isInstanceOf(RequestRefused.class);
  }

  private List<HistoryEntry> applied(String orgId, Instant from, Instant until) {
    return store.history.values().stream()
        .filter(h -> h.orgId().equals(orgId) && h.result() == Result.APPLIED)
        .filter(h -> !h.at().isBefore(from) && h.at().isBefore(until))
        .toList();
  }

  private static Instant start(LocalDate day) {
    return day.atStartOfDay(TOKYO).toInstant();
  }

  private void registered(String id) {
    contracts.register(
        Contract.register(id, "org-1", Cohort.CURRENT, new Supporter("s", "n", "e@example.org"), 3000, NOW.minus(Duration.ofDays(400))),
        "reg-" + id);
  }

  private void inError(String id) {
    registered(id);
    var failedAt = NOW.minus(Duration.ofDays(120));
    fail(id, ChargeKind.SCHEDULED, failedAt);
    contracts.apply(id, new ContractEvent.RetriesExhausted("ex-" + id, failedAt.plus(Duration.ofDays(21)), PERIOD));
  }

  private void fail(String id, ChargeKind kind, Instant at) {
    contracts.apply(id, new ContractEvent.PaymentFailed(
        "f-" + id + "-" + at, at, new Attempt(id + ":" + PERIOD + ":" + kind + ":" + at, PERIOD, kind, 1), 3000,
        new Failure("card_declined", "SOFT_DECLINE", at)));
  }

  private void succeed(String id, ChargeKind kind, Instant at) {
    assertThat(contracts.apply(id, new ContractEvent.PaymentSucceeded(
        "s-" + id, at, new Attempt(id + ":" + PERIOD + ":" + kind, PERIOD, kind, 5), 3000)))
        .isEqualTo(ContractEvents.Result.APPLIED);
  }
}
