package io.tsuzuku.billing.benchmark;

import io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor;
import io.tsuzuku.billing.application.Attempt;
import io.tsuzuku.billing.application.ChargeAttempts;
import io.tsuzuku.billing.application.Charges;
import io.tsuzuku.billing.application.ContractBook;
import io.tsuzuku.billing.application.port.AttemptStore;
import io.tsuzuku.billing.application.port.BillingRunLog;
import io.tsuzuku.billing.application.port.ContractBookStore;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.BillingCalendar;
import io.tsuzuku.billing.domain.ChargeKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

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
    var book = new Book();
    var calendar = new BillingCalendar(BillingCalendar.Interval.MONTHLY, 1, 1);
    for (int i = 0; i < contracts; i++) {
      book.save(new BilledContract("c-%07d".formatted(i), "org-1", BilledContract.Cohort.CURRENT, calendar, 3000,
          i % 10 == 0 ? "tok_decline_insufficient_funds" : "tok_ok", "ACTIVE", day));
    }
    var attempts = new Attempts();
    var published = new AtomicInteger();
    var workers = Executors.newFixedThreadPool(concurrency);

    for (int round = 1; round <= 2; round++) { // the first round warms the JIT up
      if (round == 2) {
        book.all.replaceAll((id, c) -> new BilledContract(c.contractId(), c.orgId(), c.cohort(), c.calendar(), c.amountYen(),
            c.paymentMethodToken(), "ACTIVE", day));
        attempts.byId.clear();
        published.set(0);
      }
      var processor = new SimulatedPaymentProcessor(clock, zone, Duration.ZERO); // a fresh one: no replays
      var chargeAttempts = new ChargeAttempts(attempts, processor, a -> published.incrementAndGet(), clock);
      var charges = new Charges(chargeAttempts, new ContractBook(book, zone), book, attempts, book, clock, zone, LocalTime.of(9, 0), workers);
      var started = System.nanoTime();
      var charged = charges.run(day);
      var seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("round %d: %,d due contracts charged in %.2f s: %,.0f charges/s (%d workers, %,d outcomes published)%n",
          round, charged, seconds, charged / seconds, concurrency, published.get());
    }
    workers.shutdown();
  }

  private static final class Book implements ContractBookStore, BillingRunLog {
    final ConcurrentSkipListMap<String, BilledContract> all = new ConcurrentSkipListMap<>();

    public Optional<BilledContract> find(String id) {
      return Optional.ofNullable(all.get(id));
    }

    public void save(BilledContract c) {
      all.put(c.contractId(), c);
    }

    public List<BilledContract> dueOn(LocalDate day, String afterId, int limit) {
      var tail = afterId == null ? all : all.tailMap(afterId, false);
      return tail.values().stream().filter(c -> c.isDueOn(day)).limit(limit).toList();
    }

    public boolean claim(LocalDate day) {
      return true;
    }

    public void release(LocalDate day) {}
  }

  private static final class Attempts implements AttemptStore {
    final Map<String, Attempt> byId = new ConcurrentHashMap<>();

    public Optional<Attempt> find(String id) {
      return Optional.ofNullable(byId.get(id));
    }

    public boolean recordNew(Attempt a) {
      return byId.putIfAbsent(a.attemptId(), a) == null;
    }

    public void complete(Attempt a) {
      byId.put(a.attemptId(), a);
    }

    public List<Instant> attemptTimes(String contractId, Instant since) {
      return List.of();
    }

    public Optional<Attempt> findByCause(String causeEventId) {
      return Optional.empty();
    }

    public int countOf(String contractId, LocalDate period, ChargeKind kind) {
      return 0;
    }

    public List<Attempt> pending() {
      return List.of();
    }
  }
}
