package io.tsuzuku.billing.benchmark;

import io.tsuzuku.billing.adapter.out.kafka.AvroOutcomeMessages;
import io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor;
import io.tsuzuku.billing.application.ChargeAttempts;
import io.tsuzuku.billing.application.Charges;
import io.tsuzuku.billing.application.InMemoryBilling;
import io.tsuzuku.billing.application.LedgerUpdates;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.Cohort;
import io.tsuzuku.calendar.BillingCalendar;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Prints how many charges per second a billing run makes: 100,000 due contracts, the payment
 * simulator with zero latency, stores in memory (the use cases' own cost, not the database's).
 * A benchmark, not a test:
 *
 * <pre>
 * ./mvnw -q -pl billing-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.tsuzuku.billing.benchmark.BillingRunBenchmark [-Dexec.args="100000 8"]
 * </pre>
 */
public final class BillingRunBenchmark {

  private BillingRunBenchmark() {}

  public static void main(String[] args) {
    var contracts = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    var concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    var zone = ZoneId.of("Asia/Tokyo");
    var day = LocalDate.of(2027, 3, 1);
    var clock = Clock.fixed(day.atTime(9, 0).atZone(zone).toInstant(), ZoneOffset.UTC);
    var calendar = new BillingCalendar(BillingCalendar.Interval.MONTHLY, 1, 1);
    var workers = Executors.newFixedThreadPool(concurrency);

    for (int round = 1; round <= 2; round++) { // the first round warms the JIT up
      var store = new InMemoryBilling(); // from scratch: the same day charged again
      for (int i = 0; i < contracts; i++) {
        store.save(BilledContract.registration("c-%07d".formatted(i), "org-1", Cohort.CURRENT, calendar, 3000,
            i % 10 == 0 ? "tok_decline_insufficient_funds" : "tok_ok", day), List.of());
      }
      var processor = new SimulatedPaymentProcessor(clock, zone, Duration.ZERO); // a fresh one: no replays
      var ledger = new LedgerUpdates(store, new AvroOutcomeMessages(), () -> {});
      var attempts = new ChargeAttempts(ledger, store, processor, clock, zone, Duration.ofMinutes(10), Duration.ofHours(1));
      var charges = new Charges(attempts, ledger, store, store, clock, clock, zone, LocalTime.of(9, 0), Duration.ofMinutes(5), workers);
      var started = System.nanoTime();
      var charged = charges.runIfDue("benchmark");
      var seconds = (System.nanoTime() - started) / 1e9;
      var outcomes = store.withPendingWork().stream().mapToInt(d -> d.outbox().size()).sum();
      System.out.printf("round %d: %,d due contracts charged in %.2f s: %,.0f charges/s (%d workers, %,d outcomes in the outbox)%n",
          round, charged, seconds, charged / seconds, concurrency, outcomes);
    }
    workers.shutdown();
  }
}
