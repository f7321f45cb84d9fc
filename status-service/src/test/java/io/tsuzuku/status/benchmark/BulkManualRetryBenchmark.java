package io.tsuzuku.status.benchmark;

import com.mongodb.client.MongoClients;
import io.tsuzuku.infra.embedded.EmbeddedMongoServer;
import io.tsuzuku.kit.outbox.MessagePublisher;
import io.tsuzuku.kit.outbox.OutboxRelay;
import io.tsuzuku.status.adapter.out.kafka.AvroMessageFactory;
import io.tsuzuku.status.adapter.out.mongo.MongoContractSearch;
import io.tsuzuku.status.adapter.out.mongo.MongoContractHistory;
import io.tsuzuku.status.adapter.out.mongo.MongoContractOutbox;
import io.tsuzuku.status.adapter.out.mongo.MongoContractStore;
import io.tsuzuku.status.application.AdminPolicy;
import io.tsuzuku.status.application.BulkOperations;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.status.application.ContractFilter;
import io.tsuzuku.status.application.ContractListing;
import io.tsuzuku.status.application.Selection;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Attempt;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.status.domain.Supporter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Prints how long a bulk manual retry of every contract in ERROR takes (the goal: 10,000 contracts
 * in under 3 s), as a dry run and for real, through the real store on the in-memory MongoDB-wire
 * server, with the outbox messages encoded as the service does. The wire server answers each
 * revision-guarded write from the unique (_id, revision) index, but the selection by status scans
 * and decodes every document: a real MongoDB answers it from the (orgId, status) index. A
 * benchmark, not a test:
 *
 * <pre>
 * ./mvnw -q -pl status-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.tsuzuku.status.benchmark.BulkManualRetryBenchmark [-Dexec.args="10000"]
 * </pre>
 *
 * <p>Acting on several contracts at once gains nothing on two cores (4 at once: 6.7 s against
 * 6.1 s one after the other): the work is the processor's, the in-process server's included.
 */
public final class BulkManualRetryBenchmark {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final Instant NOW = Instant.parse("2027-03-01T00:00:00Z");
  private static final LocalDate PERIOD = LocalDate.of(2027, 1, 1);

  private BulkManualRetryBenchmark() {}

  public static void main(String[] args) {
    var contracts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    try (var server = EmbeddedMongoServer.start(null, 0); var client = MongoClients.create(server.uri())) {
      var database = client.getDatabase("benchmark");
      var store = new MongoContractStore(database);
      var events = new ContractEvents(store, new AvroMessageFactory(), () -> {});
      var clock = Clock.fixed(NOW, ZoneOffset.UTC);
      var policy = new AdminPolicy(TOKYO, Duration.ofDays(90), LocalTime.of(10, 0), Duration.ofDays(30), contracts);
      var listing = new ContractListing(new MongoContractSearch(database), policy, clock);
      var bulk = new BulkOperations(events, listing, policy, new io.tsuzuku.status.application.InMemorySupporterContacts().budget(clock, TOKYO), clock);

      var seeding = System.nanoTime();
      for (int i = 0; i < contracts; i++) {
        inError(events, "c-%06d".formatted(i));
      }
      var relay = OutboxRelay.sole(new MongoContractOutbox(database, new MongoContractHistory(database)), MessagePublisher.oneByOne(message -> {})); // as the relay leaves them: outboxes empty
      while (relay.relayPending() > 0) {
        // the next batch
      }
      System.out.printf("seeded %,d contracts in ERROR in %.1f s%n", contracts, seconds(seeding));

      var selection = new Selection.Matching(new ContractFilter(Status.ERROR, null, null, null, null, null));
      var admin = Actor.administrator("admin@org-bench");
      var bulkSeconds = 0.0;
      for (var dryRun : new boolean[] {true, false}) {
        var started = System.nanoTime();
        var result = bulk.manualRetries("org-bench", selection, LocalDate.of(2027, 3, 10), dryRun, admin, "r-" + dryRun);
        var took = seconds(started);
        bulkSeconds = took;
        System.out.printf("%s manual retry of %,d contracts: %.2f s (%.2f ms a contract; goal 3 s: %.0f %%) %s%n",
            dryRun ? "dry-run" : "real   ", result.items().size(), took, took * 1000 / result.items().size(),
            took / 3 * 100, result.summary());
      }

      // the server's own floor: each contract's document read by key and written back under its
      // revision, as the bulk's write does, without anything of ours in between
      while (relay.relayPending() > 0) {
        // the documents as they were before the bulk: outboxes empty
      }
      var collection = database.getCollection("contracts");
      var floor = System.nanoTime();
      for (int i = 0; i < contracts; i++) {
        var document = collection.find(new org.bson.Document("_id", "c-%06d".formatted(i))).first();
        var revision = document.getLong("revision");
        document.put("revision", revision + 1);
        collection.replaceOne(io.tsuzuku.kit.outbox.MongoOutbox.byIdAndRevision(document.get("_id"), revision), document);
      }
      var floorSeconds = seconds(floor);
      System.out.printf("the wire server's floor (a read and a guarded write a contract): %.2f s (%.2f ms a contract); "
          + "the bulk takes %.1f times that%n", floorSeconds, floorSeconds * 1000 / contracts, bulkSeconds / floorSeconds);
    }
  }

  private static void inError(ContractEvents events, String id) {
    events.register(Contract.register(id, "org-bench", Cohort.CURRENT, new Supporter("s-" + id, "支援者", id + "@example.org"), 3000,
        NOW.minus(Duration.ofDays(400))), "reg-" + id);
    var failedAt = NOW.minus(Duration.ofDays(50));
    events.apply(id, new ContractEvent.PaymentFailed("f-" + id, failedAt,
        new Attempt(id + ":" + PERIOD + ":SCHEDULED:0", PERIOD, ChargeKind.SCHEDULED, 0), 3000,
        new Failure("insufficient_funds", "SOFT_DECLINE", failedAt)));
    events.apply(id, new ContractEvent.RetriesExhausted("x-" + id, NOW.minus(Duration.ofDays(29)), PERIOD));
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
