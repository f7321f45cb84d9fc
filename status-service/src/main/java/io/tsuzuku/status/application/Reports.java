package io.tsuzuku.status.application;

import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.security.RequestRefused.Kind;
import io.tsuzuku.status.application.Summary.Band;
import io.tsuzuku.status.application.Summary.Figure;
import io.tsuzuku.status.application.port.ContractFigures;
import io.tsuzuku.status.application.port.ManualRetryHistory;
import io.tsuzuku.status.application.port.RecoveryHistory;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.status.domain.Trigger;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What administrators read about their organisation as a whole: the summary at a glance, the
 * recoveries and how manual retries fared. Reads only; the bulk commands are {@link BulkOperations}.
 */
public final class Reports {

  /** How many days of pending manual retries the summary shows, today first. */
  public static final int COMING_DAYS = 14;

  /** The ERROR age bands' lower ends in months, the youngest band first (under 1 month: none). */
  static final int[] BAND_MONTHS = {1, 3, 6, 12};

  private final ContractFigures figures;
  private final RecoveryHistory recoveries;
  private final ManualRetryHistory manualRetries;
  private final AdminPolicy policy;
  private final Clock clock;

  public Reports(
      ContractFigures figures, RecoveryHistory recoveries, ManualRetryHistory manualRetries, AdminPolicy policy, Clock clock) {
    this.figures = figures;
    this.recoveries = recoveries;
    this.manualRetries = manualRetries;
    this.policy = policy;
    this.clock = clock;
  }

  public Summary summary(String orgId) {
    var today = LocalDate.now(clock.withZone(policy.zone()));
    // band i (youngest first) is [cut[i], cut[i-1]); the store wants the cuts ascending
    var cuts = IntStream.of(BAND_MONTHS).mapToObj(today::minusMonths).toList();
    var ascending = new ArrayList<Instant>();
    cuts.forEach(cut -> ascending.add(0, startOf(cut)));
    var lastDay = today.plusDays(COMING_DAYS - 1);
    var counts = figures.count(orgId, ascending, today, lastDay);

    var byStatus = new ArrayList<Summary.ByStatus>();
    for (var status : Status.values()) {
      var figure = counts.byStatus().getOrDefault(status, Figure.NONE);
      byStatus.add(new Summary.ByStatus(status, figure.contracts(), figure.monthlyYen()));
    }
    var errorByAge = new ArrayList<Summary.ErrorAge>();
    var bands = counts.errorBands();
    for (int i = 0; i < Band.values().length; i++) {
      var figure = bands.get(bands.size() - 1 - i);
      errorByAge.add(new Summary.ErrorAge(Band.values()[i], i < cuts.size() ? cuts.get(i) : null,
          i == 0 ? null : cuts.get(i - 1), figure.contracts(), figure.monthlyYen()));
    }
    var retryDays = today.datesUntil(lastDay.plusDays(1))
        .map(day -> {
          var figure = counts.manualRetries().getOrDefault(day, Figure.NONE);
          return new Summary.RetryDay(day, figure.contracts(), figure.monthlyYen());
        })
        .toList();
    return new Summary(today, byStatus, errorByAge, retryDays);
  }

  public RecoveryReport recovery(String orgId, LocalDate from, LocalDate to) {
    var entries = recoveries.recoveries(orgId, startOf(checked(from, to)), startOf(to.plusDays(1)));
    var rows = new LinkedHashMap<String, RecoveryReport.Row>();
    var months = new LinkedHashMap<String, RecoveryReport.Month>();
    entries.stream()
        .sorted(Comparator.comparing((HistoryEntry e) -> e.from()).thenComparing(HistoryEntry::path))
        .forEach(e -> rows.merge(e.from() + "/" + e.path(), new RecoveryReport.Row(e.from(), e.path(), 1, e.amountYen()),
            (a, b) -> new RecoveryReport.Row(a.recoveredFrom(), a.path(), a.contracts() + 1, a.amountYen() + b.amountYen())));
    entries.stream()
        .map(e -> new RecoveryReport.Month(YearMonth.from(e.at().atZone(policy.zone())), e.path(), 1, e.amountYen()))
        .sorted(Comparator.comparing(RecoveryReport.Month::month).thenComparing(RecoveryReport.Month::path))
        .forEach(m -> months.merge(m.month() + "/" + m.path(), m,
            (a, b) -> new RecoveryReport.Month(a.month(), a.path(), a.contracts() + 1, a.amountYen() + b.amountYen())));
    return new RecoveryReport(from, to, List.copyOf(rows.values()), List.copyOf(months.values()), entries.size(),
        entries.stream().mapToLong(HistoryEntry::amountYen).sum());
  }

  public ManualRetryReport manualRetries(String orgId, LocalDate from, LocalDate to) {
    var attempts = new long[32];
    var recovered = new long[32];
    var recoveredYen = new long[32];
    for (var e : manualRetries.manualRetryOutcomes(orgId, startOf(checked(from, to)), startOf(to.plusDays(1)))) {
      var day = e.at().atZone(policy.zone()).getDayOfMonth();
      attempts[day]++;
      if (Trigger.PAYMENT_SUCCEEDED.name().equals(e.trigger())) {
        recovered[day]++;
        recoveredYen[day] += e.amountYen();
      }
    }
    return new ManualRetryReport(from, to, IntStream.rangeClosed(1, 31)
        .mapToObj(day -> new ManualRetryReport.Day(day, attempts[day], recovered[day], recoveredYen[day]))
        .toList());
  }

  /** A period is at most {@code MAX_YEARS} long, within the years 1970 to 9999. */
  static final int MAX_YEARS = 10;

  static LocalDate checked(LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      throw new RequestRefused(Kind.INVALID, "INVALID_PERIOD", "'to' is before 'from'");
    }
    if (from.getYear() < 1970 || to.getYear() > 9999 || to.isAfter(from.plusYears(MAX_YEARS))) {
      throw new RequestRefused(Kind.INVALID, "INVALID_PERIOD", "a period is at most " + MAX_YEARS + " years, within 1970 to 9999");
    }
    return from;
  }

  private Instant startOf(LocalDate day) {
    return day.atStartOfDay(policy.zone()).toInstant();
  }
}
