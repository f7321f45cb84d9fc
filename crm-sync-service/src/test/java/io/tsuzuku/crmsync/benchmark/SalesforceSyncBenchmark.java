package io.tsuzuku.crmsync.benchmark;

import static org.awaitility.Awaitility.await;

import io.tsuzuku.crmsync.adapter.out.mongo.MongoMirrorStore;
import io.tsuzuku.crmsync.adapter.out.mongo.MongoOrganisationStore;
import io.tsuzuku.crmsync.adapter.out.salesforce.SalesforceRestClient;
import io.tsuzuku.crmsync.application.SalesforceSync;
import io.tsuzuku.crmsync.application.StatusMirror;
import io.tsuzuku.crmsync.domain.ContractState;
import io.tsuzuku.crmsync.domain.Status;
import io.tsuzuku.crmsync.domain.SyncPolicy;
import io.tsuzuku.standins.FakeSalesforce;
import io.tsuzuku.crmsync.salesforce.TestOrganisations;
import io.tsuzuku.kit.PeriodicTask;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prints how many status changes per second reach a (WireMock) Salesforce org, and how many
 * upsert calls 1,000 changes take: {@code contracts} contracts each change {@code changes} times
 * (ACTIVE, RETRYING, ERROR, …) while the sync runs, through the real stores on the in-memory
 * MongoDB-wire server and the real REST client. That server looks a document up by its key only
 * when the filter is the key alone: the version-guarded updates scan the collection there, so
 * the figures fall with the number of contracts, which a real MongoDB's index does not do. A
 * benchmark, not a test:
 *
 * <pre>
 * ./mvnw -q -pl crm-sync-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.tsuzuku.crmsync.benchmark.SalesforceSyncBenchmark [-Dexec.args="5000 3"]
 * </pre>
 */
public final class SalesforceSyncBenchmark {

  private static final List<Status> CYCLE = List.of(Status.ACTIVE, Status.RETRYING, Status.ERROR, Status.CANCELLED);

  private SalesforceSyncBenchmark() {}

  public static void main(String[] args) {
    var contracts = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    var changes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    var clock = Clock.systemUTC();
    try (var salesforce = FakeSalesforce.start(); var mongo = new TestOrganisations()) {
      var database = mongo.database();
      var organisations = new MongoOrganisationStore(database, new io.tsuzuku.crmsync.adapter.out.mongo.SecretCipher("test-secrets-key-of-the-crm-sync-tests-0123456789", java.util.List.of()));
      var mirror = new MongoMirrorStore(database);
      organisations.save(TestOrganisations.organisation("org-bench", salesforce), 0);
      var client = new SalesforceRestClient(organisations, TestOrganisations.LOCAL_URLS, "v62.0", Duration.ofSeconds(30), Duration.ofHours(1),
        io.micrometer.observation.ObservationRegistry.NOOP);
      var policy = SyncPolicy.DEFAULT;
      var sync = new SalesforceSync(organisations, mirror, client, policy, clock, Duration.ofMinutes(2));
      var loop = new PeriodicTask("salesforce-sync", Duration.ofMillis(100), () -> sync.runPass("benchmark"));
      var nudge = new AtomicReference<Runnable>(loop::nudge);
      var statusMirror = new StatusMirror(mirror, clock, policy.batchSize(), () -> nudge.get().run());
      var last = CYCLE.get((changes - 1) % CYCLE.size());

      loop.start();
      var started = System.nanoTime();
      for (int round = 0; round < changes; round++) {
        var status = CYCLE.get(round % CYCLE.size());
        for (int i = 0; i < contracts; i++) {
          statusMirror.statusChanged(new ContractState("org-bench", "c-" + i, round + 1, status, null, null, null));
        }
      }
      var kept = System.nanoTime();
      var expected = organisations.find("org-bench").orElseThrow().mapping().valueOf(last).status();
      await().atMost(Duration.ofHours(1)).pollInterval(Duration.ofMillis(50))
          .until(() -> allShow(salesforce, contracts, expected));
      var done = System.nanoTime();
      loop.stop();

      var total = (long) contracts * changes;
      var seconds = (done - started) / 1e9;
      System.out.printf("contracts=%d changesEach=%d statusChanges=%d%n", contracts, changes, total);
      System.out.printf("kept in %.2f s; all synced in %.2f s: %.0f status changes synced per second%n",
          (kept - started) / 1e9, seconds, total / seconds);
      System.out.printf("upsert calls=%d (%.2f per 1,000 changes), records sent=%d, tokens=%d%n",
          salesforce.upsertCalls(), salesforce.upsertCalls() * 1_000.0 / total,
          salesforce.completedBatchSizes().stream().mapToInt(Integer::intValue).sum(), salesforce.tokensIssued());
    }
  }

  private static boolean allShow(FakeSalesforce salesforce, int contracts, String value) {
    for (int i = contracts - 1; i >= 0; i--) {
      if (!value.equals(salesforce.record("c-" + i).get("Status__c"))) {
        return false;
      }
    }
    return true;
  }
}
