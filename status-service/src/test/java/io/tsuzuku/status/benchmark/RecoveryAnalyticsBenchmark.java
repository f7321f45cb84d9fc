package io.tsuzuku.status.benchmark;

import com.mongodb.client.MongoClients;
import io.tsuzuku.infra.embedded.EmbeddedMongoServer;
import io.tsuzuku.status.adapter.out.mongo.MongoContractHistory;
import io.tsuzuku.status.adapter.out.mongo.MongoReports;
import io.tsuzuku.status.application.AdminPolicy;
import io.tsuzuku.status.application.HistoryEntry;
import io.tsuzuku.status.application.RecoveryAnalysis;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Outcome.Result;
import io.tsuzuku.status.domain.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Prints how long the recovery analytics take for an organisation of 10,000 contracts with a year
 * of history (the goal: under 2 s), the first time in a day and from the day's answer, beside the
 * wire server's own floor: one pass over the same lines with nothing of the service's. The wire
 * server scans the whole collection for the match (it ignores the index a real MongoDB uses) and
 * sorts in memory. A benchmark, not a test:
 *
 * <pre>
 * ./mvnw -q -pl status-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.tsuzuku.status.benchmark.RecoveryAnalyticsBenchmark [-Dexec.args="10000"]
 * </pre>
 *
 * <p>Each contract: its registration, a scheduled payment each month; one in four fails once in the
 * year (the scheduled charge, three automatic retries a week apart, then ERROR), and of those six in
 * ten come back (by a retry, a manual retry or a re-payment) and one in ten is cancelled.
 */
public final class RecoveryAnalyticsBenchmark {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final Instant NOW = Instant.parse("2027-03-01T00:00:00Z");
  private static final String ORG = "org-benchmark";
  private static final String[] CODES = {"insufficient_funds", "card_declined", "expired_card", "do_not_honor"};
  private static final String[] PATHS = {"AUTO_RETRY", "MANUAL_RETRY", "SUPPORTER_REPAYMENT"};

  private RecoveryAnalyticsBenchmark() {}

  public static void main(String[] args) {
    var contracts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    try (var server = EmbeddedMongoServer.start(null, 0); var client = MongoClients.create(server.uri())) {
      var database = client.getDatabase("benchmark");
      var history = new MongoContractHistory(database);
      var seeding = System.nanoTime();
      var random = new Random(7);
      var lines = 0L;
      var batch = new ArrayList<HistoryEntry>();
      for (int i = 0; i < contracts; i++) {
        aYear("c-%06d".formatted(i), random, batch);
        if (batch.size() > 20_000) {
          lines += batch.size();
          history.appendAll(batch);
          batch.clear();
        }
      }
      lines += batch.size();
      history.appendAll(batch);
      System.out.printf("seeded %,d contracts, %,d history lines, in %.1f s%n", contracts, lines, seconds(seeding));

      var reports = new MongoReports(database);
      var policy = new AdminPolicy(TOKYO, Duration.ofDays(90), LocalTime.of(10, 0), Duration.ofDays(30), 5);
      var from = LocalDate.of(2026, 3, 1);
      var to = LocalDate.of(2027, 2, 28);
      var since = from.atStartOfDay(TOKYO).toInstant();
      for (int run = 1; run <= 3; run++) {
        var floor = System.nanoTime();
        var scanned = database.getCollection("contract_history")
            .find(MongoReports.failureLines(ORG, since))
            .batchSize(2_000)
            .into(new ArrayList<>()).size();
        var floorSeconds = seconds(floor);

        var analysis = new RecoveryAnalysis(reports, policy, Clock.fixed(NOW, ZoneOffset.UTC));
        var first = System.nanoTime();
        var answer = analysis.analyse(ORG, from, to);
        var firstSeconds = seconds(first);
        var again = System.nanoTime();
        analysis.analyse(ORG, from, to);
        var againSeconds = seconds(again);
        System.out.printf("run %d: %,d failures (%,d recovered), first answer %.2f s (%.2f of the 2 s goal), the day's answer"
                + " again %.4f s; the wire server's floor (the match, %,d lines, nothing else) %.2f s%n",
            run, answer.total().failed(), answer.total().recovered(), firstSeconds, firstSeconds / 2, againSeconds, scanned,
            floorSeconds);
      }
    }
  }

  /** A year of one contract's history, failing once in four. */
  private static void aYear(String id, Random random, List<HistoryEntry> lines) {
    var cohort = random.nextInt(10) == 0 ? Cohort.LEGACY.name() : Cohort.CURRENT.name();
    var amount = 1_000L * (1 + random.nextInt(10));
    var start = NOW.minus(Duration.ofDays(365));
    lines.add(line(id, start, "REGISTERED", null, Status.ACTIVE, amount, null, null, cohort));
    var failsIn = random.nextInt(4) == 0 ? random.nextInt(12) : -1;
    var status = Status.ACTIVE;
    for (int month = 0; month < 12; month++) {
      var due = start.plus(Duration.ofDays(30L * month + 1));
      if (month != failsIn) {
        if (status == Status.ACTIVE) {
          lines.add(line(id, due, "PAYMENT_SUCCEEDED", Status.ACTIVE, Status.ACTIVE, amount, "SCHEDULED", null, cohort));
        }
        continue;
      }
      var code = CODES[random.nextInt(CODES.length)];
      lines.add(line(id, due, "SCHEDULED_CHARGE_FAILED", Status.ACTIVE, Status.RETRYING, amount, null, code, cohort));
      for (int retry = 1; retry <= 3; retry++) {
        var at = due.plus(Duration.ofDays(7L * retry));
        lines.add(line(id, at.minusSeconds(60), "RETRY_SCHEDULED", Status.RETRYING, Status.RETRYING, amount, null, null, cohort));
        lines.add(line(id, at, "AUTOMATIC_RETRY_FAILED", Status.RETRYING, Status.RETRYING, amount, null, code, cohort));
      }
      var inError = due.plus(Duration.ofDays(21)).plusSeconds(1);
      lines.add(line(id, inError, "RETRIES_EXHAUSTED", Status.RETRYING, Status.ERROR, amount, null, code, cohort));
      status = Status.ERROR;
      var fate = random.nextInt(10);
      var endsAt = inError.plus(Duration.ofDays(1 + random.nextInt(60)));
      if (fate < 6) {
        lines.add(line(id, endsAt, "PAYMENT_SUCCEEDED", Status.ERROR, Status.ACTIVE, amount, PATHS[fate % PATHS.length], null, cohort));
        status = Status.ACTIVE;
      } else if (fate == 6) {
        lines.add(line(id, endsAt, "CANCELLED_BY_ADMINISTRATOR", Status.ERROR, Status.CANCELLED, amount, null, null, cohort));
        return;
      }
    }
  }

  private static HistoryEntry line(
      String id, Instant at, String trigger, Status from, Status to, long amount, String path, String code, String cohort) {
    return new HistoryEntry(id + ":" + trigger + ":" + at, id, ORG, trigger + "-" + at, at, trigger, "billing-service",
        Result.APPLIED, from, to, null, amount, path, code, code == null ? null : "SOFT_DECLINE", cohort, "MONTHLY", 1);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
