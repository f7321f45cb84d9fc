package io.tsuzuku.systemtests;

import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractStatus;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.RefundRequired;
import io.tsuzuku.systemtests.Soak.Behaviour;
import io.tsuzuku.systemtests.Soak.Fault;
import io.tsuzuku.systemtests.Soak.Member;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jfree.chart.ChartUtils;
import tools.jackson.databind.JsonNode;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * What a soak did and what it kept: contracts by status, recoveries by path, money moved, the
 * faults injected, and the same seeded population under the old rule beside the new one, month by
 * month, as a table and a chart.
 *
 * <p>The old rule (the platform's rule before this system, still the legacy cohort's): no automatic and no manual retries; a
 * contract whose charge failed is cancelled on its next scheduled date unless the supporter re-paid
 * before. The current cohort's figures under it are derived from each contract's seeded behaviour
 * and the first failure the run recorded: a card that recovers later, or never, is cancelled at
 * that deadline; a supporter who re-pays before it is kept; a supporter who cancels does so on the
 * same day. The legacy cohort lives under the old rule in the run itself, so its figures are the
 * run's under both.
 */
record SoakReport(
    Soak.Plan plan,
    String orgId,
    LocalDate start,
    LocalDate end,
    Duration took,
    long recordsRead,
    List<Fault> faults,
    List<String> actions,
    List<String> violations,
    Map<String, Long> byStatus,
    Map<Behaviour, Map<String, Long>> byBehaviour,
    Map<ChargeKind, long[]> recoveries,
    long payments,
    long paidYen,
    long declines,
    Map<String, Long> refusals,
    Map<String, Long> refundsRequired,
    List<Month> months,
    Backtests backtests) {

  /**
   * The status-service's backtests of the run's history (its answers as the API gives them): under
   * the policy the run followed, without retries, and under the old rule.
   */
  record Backtests(JsonNode inForce, JsonNode withoutRetries, JsonNode oldRule) {

    /**
     * How far the policy in force may replay from what happened, at any month's end, for so many
     * failures: 2 %, at least 2 (docs/soak.md).
     */
    static final java.util.function.LongUnaryOperator TOLERANCE_OF = failures -> Math.max(2, failures / 50);

    /** The largest difference, at any month's end, between what the policy in force replays and what happened. */
    long inForceDeviation() {
      long largest = 0;
      for (var month : inForce.get("months")) {
        for (var figure : List.of("recovered", "cancelled")) {
          largest = Math.max(largest, Math.abs(month.get("replayed").get(figure).asLong() - month.get("actual").get(figure).asLong()));
        }
      }
      return largest;
    }

    /** The policy in force month by month, what happened beside the replay, for a failure's message. */
    String inForceMonths() {
      var text = new StringBuilder();
      for (var month : inForce.get("months")) {
        text.append('\n').append(month.get("month").asString());
        for (var figure : List.of("recovered", "cancelled")) {
          text.append(", ").append(figure).append(' ').append(month.get("actual").get(figure).asLong()).append(" happened, ")
              .append(month.get("replayed").get(figure).asLong()).append(" replayed");
        }
      }
      return text.toString();
    }

    static long figure(JsonNode result, String side, String figure) {
      return result.get(side).get(figure).asLong();
    }
  }

  /** A month of the comparison: supporters kept at its end and yen recovered so far, under each rule. */
  record Month(YearMonth month, long keptNew, long keptOld, long recoveredYenNew, long recoveredYenOld) {}

  static SoakReport of(Journeys system, Soak.Plan plan, String orgId, LocalDate start, LocalDate end, List<Member> population,
      Duration took, List<Fault> faults, List<String> actions, List<String> violations, Backtests backtests) {
    var byStatus = new TreeMap<String, Long>();
    var byBehaviour = new EnumMap<Behaviour, Map<String, Long>>(Behaviour.class);
    var recoveries = new EnumMap<ChargeKind, long[]>(ChargeKind.class);
    long declines = 0;
    var refusals = new TreeMap<String, Long>();
    var refundsRequired = new TreeMap<String, Long>();
    var newCancellations = new ArrayList<Optional<Instant>>();
    var oldCancellations = new ArrayList<Optional<Instant>>();
    var newRecoveries = new ArrayList<List<Recovery>>();
    var oldRecoveries = new ArrayList<List<Recovery>>();
    for (var member : population) {
      var id = member.contractId();
      var snapshots = system.events(id, ContractStatusChanged.class);
      var status = snapshots.stream().max(Comparator.comparingLong(ContractStatusChanged::getVersion))
          .map(c -> c.getTo().name()).orElse("UNKNOWN");
      byStatus.merge(status, 1L, Long::sum);
      byBehaviour.computeIfAbsent(member.behaviour(), b -> new TreeMap<>()).merge(status, 1L, Long::sum);
      var refunded = new HashSet<String>();
      for (var refund : system.events(id, RefundRequired.class)) {
        if (refunded.add(refund.getAttemptId())) {
          refundsRequired.merge(refund.getReason(), 1L, Long::sum);
        }
      }
      var recovered = new ArrayList<Recovery>();
      var seen = new HashSet<String>();
      for (var success : system.events(id, PaymentSucceeded.class)) {
        if (success.getKind() != ChargeKind.SCHEDULED && !refunded.contains(success.getAttemptId()) && seen.add(success.getAttemptId())) {
          var figures = recoveries.computeIfAbsent(success.getKind(), k -> new long[2]);
          figures[0]++;
          figures[1] += success.getAmountYen();
          recovered.add(new Recovery(success.getHeader().getOccurredAt(), success.getAmountYen()));
        }
      }
      var failures = new HashSet<String>();
      Optional<LocalDate> firstFailedPeriod = Optional.empty();
      for (var failure : system.events(id, PaymentFailed.class)) {
        if (!failures.add(failure.getAttemptId())) {
          continue;
        }
        if (failure.getFailureClass() == FailureClass.REFUSED) {
          refusals.merge(failure.getFailureCode(), 1L, Long::sum);
        } else {
          declines++;
          if (failure.getKind() == ChargeKind.SCHEDULED && firstFailedPeriod.isEmpty()) {
            firstFailedPeriod = Optional.of(failure.getPeriod());
          }
        }
      }
      var cancelled = snapshots.stream().filter(c -> c.getTo() == ContractStatus.CANCELLED).map(ContractStatusChanged::getStatusSince)
          .min(Comparator.naturalOrder());
      newCancellations.add(cancelled);
      newRecoveries.add(recovered);
      if (member.cohort() == Cohort.LEGACY || firstFailedPeriod.isEmpty()) {
        oldCancellations.add(cancelled);
        oldRecoveries.add(recovered);
      } else {
        var deadline = member.calendar().legacyCancellationDay(firstFailedPeriod.get());
        var atDeadline = Optional.of(deadline.atStartOfDay(Journeys.TOKYO).toInstant());
        var acts = member.actOn() == null ? null : member.actOn().atTime(Soak.AFTER_THE_DAYS_RUNS).atZone(Journeys.TOKYO).toInstant();
        var actsInTime = member.actOn() != null && member.actOn().isBefore(deadline);
        switch (member.behaviour()) {
          case REPAYS, REPAYS_TWICE, REPAYS_AT_MIDNIGHT, UPDATES_CARD -> {
            oldCancellations.add(actsInTime ? Optional.empty() : atDeadline);
            oldRecoveries.add(actsInTime ? List.of(new Recovery(acts, member.amountYen())) : List.of());
          }
          case CANCELS, CANCELS_THEN_REPAYS, CANCELS_BEFORE_REGISTERED -> {
            oldCancellations.add(actsInTime ? Optional.of(acts) : atDeadline);
            oldRecoveries.add(List.of());
          }
          default -> {
            oldCancellations.add(atDeadline);
            oldRecoveries.add(List.of());
          }
        }
      }
    }
    var months = new ArrayList<Month>();
    for (var month = YearMonth.from(start); !month.isAfter(YearMonth.from(end)); month = month.plusMonths(1)) {
      var monthEnd = (month.atEndOfMonth().isAfter(end) ? end : month.atEndOfMonth()).plusDays(1).atStartOfDay(Journeys.TOKYO).toInstant();
      months.add(new Month(month, kept(newCancellations, monthEnd), kept(oldCancellations, monthEnd),
          recoveredBy(newRecoveries, monthEnd), recoveredBy(oldRecoveries, monthEnd)));
    }
    var payments = system.system.paymentSimulator().payments().stream().filter(p -> p.description().contains(orgId)).toList();
    return new SoakReport(plan, orgId, start, end, took, system.eventsRead(), faults, actions, violations, byStatus, byBehaviour,
        recoveries, payments.size(), payments.stream().mapToLong(p -> p.amountYen()).sum(), declines, refusals, refundsRequired,
        months, backtests);
  }

  private record Recovery(Instant at, long amountYen) {}

  private static long kept(List<Optional<Instant>> cancellations, Instant at) {
    return cancellations.stream().filter(c -> c.isEmpty() || !c.get().isBefore(at)).count();
  }

  private static long recoveredBy(List<List<Recovery>> recoveries, Instant at) {
    return recoveries.stream().flatMap(List::stream).filter(r -> r.at().isBefore(at)).mapToLong(Recovery::amountYen).sum();
  }

  /** The report in Markdown; {@code chart} is the chart image's path as the report links it. */
  String markdown(String chart) {
    var text = new StringBuilder();
    text.append("# Soak report\n\n");
    text.append("**The population is synthetic**: ").append(plan.contracts()).append(" contracts generated from seed `")
        .append(plan.seed()).append("`, cards and supporters behaving as the seed decides; no real supporter is in it.\n\n");
    text.append("| | |\n|---|---|\n");
    text.append("| simulated days | ").append(plan.days()).append(" (").append(start).append(" to ").append(end).append(", Asia/Tokyo) |\n");
    text.append("| organisation | `").append(orgId).append("` |\n");
    text.append("| time taken | ").append(took.toMinutes()).append(" min ").append(took.toSecondsPart()).append(" s |\n");
    text.append("| records read on the topics | ").append(recordsRead).append(" |\n");
    text.append("| violations | ").append(violations.size()).append(" |\n\n");
    text.append("## Contracts by status at the end\n\n| status | contracts |\n|---|---|\n");
    byStatus.forEach((status, count) -> text.append("| ").append(status).append(" | ").append(count).append(" |\n"));
    text.append("\n| behaviour | contracts by status |\n|---|---|\n");
    byBehaviour.forEach((behaviour, counts) -> text.append("| ").append(behaviour).append(" | ").append(counts).append(" |\n"));
    text.append("\n## Recoveries by path\n\n| path | payments | yen |\n|---|---|---|\n");
    recoveries.forEach((kind, figures) -> text.append("| ").append(kind).append(" | ").append(figures[0]).append(" | ")
        .append(String.format("%,d", figures[1])).append(" |\n"));
    text.append("\n## Money\n\n| | |\n|---|---|\n");
    text.append("| payments the processor took | ").append(payments).append(" (").append(String.format("%,d", paidYen)).append(" yen) |\n");
    text.append("| charges declined | ").append(declines).append(" |\n");
    text.append("| charges refused by billing (nothing reached the processor), by code | ")
        .append(refusals.isEmpty() ? "none" : refusals).append(" |\n");
    text.append("| refunds required, by reason | ").append(refundsRequired.isEmpty() ? "none" : refundsRequired).append(" |\n");
    text.append("\n## Faults injected, all survived").append(violations.isEmpty() ? "" : " (see the violations)").append("\n\n");
    faults.forEach(f -> text.append("- day ").append(f.day()).append(": ").append(f.what()).append('\n'));
    text.append("\n## What the administrators did\n\n");
    actions.forEach(a -> text.append("- ").append(a).append('\n'));
    text.append("\n## The new rule beside the old one\n\n");
    text.append("The same population under the old rule: no retries, a contract cancelled on its next scheduled date")
        .append(" unless the supporter re-paid before. Supporters kept: contracts not cancelled at the month's end;")
        .append(" yen recovered: payments of failed periods (retries, manual retries, re-payments), cumulative.\n\n");
    text.append("![supporters kept and yen recovered, new rule and old rule](").append(chart).append(")\n\n");
    text.append("| month | kept, new rule | kept, old rule | yen recovered, new rule | yen recovered, old rule |\n|---|---|---|---|---|\n");
    months.forEach(m -> text.append("| ").append(m.month()).append(" | ").append(m.keptNew()).append(" | ").append(m.keptOld())
        .append(" | ").append(String.format("%,d", m.recoveredYenNew())).append(" | ").append(String.format("%,d", m.recoveredYenOld()))
        .append(" |\n"));
    text.append("\n## The backtest against the run\n\n");
    text.append("The status-service's policy backtest (docs/admin-api.md) replayed the ").append(backtests.inForce().get("failures"))
        .append(" failures the run recorded, from its history alone. Under the policy the run followed it must give back what")
        .append(" happened; without retries it must keep fewer; under the old rule its extra cancellations are set beside this")
        .append(" report's, which knows every card's seeded behaviour. At the end of the run:\n\n");
    text.append("| | recovered | cancelled | yen recovered |\n|---|---|---|---|\n");
    backtestRow(text, "what happened", backtests.inForce(), "actual");
    backtestRow(text, "replayed: the policy in force", backtests.inForce(), "replayed");
    backtestRow(text, "replayed: no retries", backtests.withoutRetries(), "replayed");
    backtestRow(text, "replayed: the old rule", backtests.oldRule(), "replayed");
    var last = months.get(months.size() - 1);
    text.append("\nThe policy in force differs from what happened by at most ").append(backtests.inForceDeviation())
        .append(" at any month's end. Cancellations the old rule adds: ")
        .append(Backtests.figure(backtests.oldRule(), "replayed", "cancelled") - Backtests.figure(backtests.oldRule(), "actual", "cancelled"))
        .append(" by the backtest, ").append(last.keptNew() - last.keptOld()).append(" by this report.\n");
    if (!violations.isEmpty()) {
      text.append("\n## Violations\n\n");
      violations.forEach(v -> text.append("- ").append(v).append('\n'));
    }
    return text.toString();
  }

  private static void backtestRow(StringBuilder text, String what, JsonNode result, String side) {
    text.append("| ").append(what).append(" | ").append(Backtests.figure(result, side, "recovered")).append(" | ")
        .append(Backtests.figure(result, side, "cancelled")).append(" | ")
        .append(String.format("%,d", Backtests.figure(result, side, "recoveredYen"))).append(" |\n");
  }

  /** Writes {@code soak-report.md} and its chart {@code soak-policy-comparison.png} into {@code directory}; answers the report's path. */
  Path write(Path directory) {
    var chart = directory.resolve("soak-policy-comparison.png");
    writeChart(chart);
    var report = directory.resolve("soak-report.md");
    try {
      Files.writeString(report, markdown(chart.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report " + report, e);
    }
    return report;
  }

  /** The comparison as a chart (PNG): supporters kept above, yen recovered below, month by month. */
  private void writeChart(Path file) {
    System.setProperty("java.awt.headless", "true");
    var kept = new DefaultCategoryDataset();
    var yen = new DefaultCategoryDataset();
    for (var m : months) {
      kept.addValue(m.keptNew(), "new rule", m.month().toString());
      kept.addValue(m.keptOld(), "old rule", m.month().toString());
      yen.addValue(m.recoveredYenNew() / 10_000.0, "new rule", m.month().toString());
      yen.addValue(m.recoveredYenOld() / 10_000.0, "old rule", m.month().toString());
    }
    var axis = new CategoryAxis("month");
    axis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    var combined = new CombinedDomainCategoryPlot(axis);
    combined.add(plot(kept, "supporters kept"), 1);
    var recovered = plot(yen, "yen recovered (×10,000)");
    recovered.getRenderer().setDefaultSeriesVisibleInLegend(false); // the same two series as above
    combined.add(recovered, 1);
    var chart = new JFreeChart("tsuzuku soak, seed " + plan.seed() + ": " + plan.contracts() + " synthetic contracts, new rule and old rule",
        JFreeChart.DEFAULT_TITLE_FONT.deriveFont(14f), combined, true);
    chart.setBackgroundPaint(Color.WHITE);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ChartUtils.saveChartAsPNG(file.toFile(), chart, 1100, 750);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chart " + file, e);
    }
  }

  private static CategoryPlot plot(DefaultCategoryDataset data, String label) {
    var renderer = new LineAndShapeRenderer(true, true);
    renderer.setSeriesPaint(0, new Color(0x1f, 0x77, 0xb4));
    renderer.setSeriesPaint(1, new Color(0xd6, 0x27, 0x28));
    renderer.setSeriesStroke(0, new BasicStroke(2.5f));
    renderer.setSeriesStroke(1, new BasicStroke(2.5f));
    var plot = new CategoryPlot(data, null, new NumberAxis(label), renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return plot;
  }
}
