package io.tsuzuku.retry.benchmark;

import io.tsuzuku.schemas.KafkaAccess;
import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.tsuzuku.deployment.Deployment;
import io.tsuzuku.events.ChargeRequested;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure;
import io.tsuzuku.infra.embedded.EmbeddedKafkaBroker;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.retry.RetryServiceApplication;
import io.tsuzuku.retry.adapter.out.mongo.MongoJobStore;
import io.tsuzuku.retry.application.DueJobs;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topics;
import io.tsuzuku.testkit.MovableClock;
import io.tsuzuku.testkit.ServiceProcess;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Prints how long two retry-service instances take to turn {@code jobs} retries, all due at the
 * same moment, into published {@code ChargeRequested} records (the goal: 100,000 in under 10 s,
 * none twice), on the real broker and registry and the in-memory MongoDB-wire server, the
 * instances as they run (their dispatch loops, their outbox relays). The business clock stands
 * before the jobs' due time while everything starts, then moves onto it: the figure is the
 * dispatch, not the start. Beside it, the wire server's own cost of the queries a batch makes,
 * and the heap and resident memory under the load. A benchmark, not a test:
 *
 * <pre>
 * ./mvnw -q -pl retry-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.tsuzuku.retry.benchmark.RetryDispatchBenchmark [-Dexec.args="100000"]
 * </pre>
 *
 * <p>With {@code --processes} after the count, each instance runs in a process of its own from the
 * service's executable jar ({@code ./mvnw -pl retry-service package -DskipTests} first), its heap
 * capped at 256 MB, and each prints its own heap and resident memory after the load.
 */
public final class RetryDispatchBenchmark {

  private static final Instant DUE = Instant.parse("2027-02-08T01:00:00Z");
  private static final LocalDate PERIOD = LocalDate.of(2027, 2, 1);
  private static final int BATCH = DueJobs.BATCH;
  /** The key the instances verify bearer tokens with: a service with none refuses to start. */
  private static final String JWT_SECRET = "benchmark-signing-key-of-at-least-32-bytes";

  private RetryDispatchBenchmark() {}

  public static void main(String[] args) throws Exception {
    var jobs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    var processes = List.of(args).contains("--processes");
    var run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    var clock = new MovableClock(DUE.minus(Duration.ofHours(1)));
    try (var servers = EmbeddedInfrastructure.start(EmbeddedInfrastructure.Settings.forTests());
        var client = MongoClients.create(servers.endpoints().mongoUri())) {
      var endpoints = servers.endpoints();
      Deployment.prepare(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT), endpoints.schemaRegistryUrl(), EmbeddedKafkaBroker.PARTITIONS);
      var collection = client.getDatabase(run).getCollection(MongoJobStore.COLLECTION);
      var store = new MongoJobStore(client.getDatabase(run));

      var seeding = System.nanoTime();
      for (int i = 0; i < jobs; i++) {
        store.schedule(RetryJob.of(run + "-" + i, "org-bench", JobKind.AUTO_RETRY, 1, PERIOD, DUE));
      }
      System.out.printf("seeded %,d jobs due at %s in %.1f s%n", jobs, DUE, seconds(seeding));
      var floor = wireServerFloor(collection, jobs);
      var heapOfTheServers = heapAfterCollection();

      try (var first = processes ? process(endpoints, run) : instance(endpoints, run, clock);
          var second = processes ? process(endpoints, run) : instance(endpoints, run, clock);
          var consumer = consumer(endpoints, run)) {
        var started = System.nanoTime();
        if (processes) {
          // the processes run on the machine's clock: the jobs fall due now (one write over them all)
          collection.updateMany(new Document(), Updates.set("dueAt", new Date()));
        } else {
          clock.set(DUE);
        }
        var attemptIds = new HashSet<String>();
        var received = 0;
        var peakHeap = 0L;
        var deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (attemptIds.size() < jobs && System.nanoTime() < deadline) {
          for (var record : consumer.poll(Duration.ofMillis(200))) {
            if (record.value() instanceof ChargeRequested charge && record.key().startsWith(run + "-")) {
              attemptIds.add(charge.getAttemptId());
              received++;
            }
          }
          peakHeap = Math.max(peakHeap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        var took = seconds(started);
        for (var late = consumer.poll(Duration.ofSeconds(3)); !late.isEmpty(); late = consumer.poll(Duration.ofSeconds(1))) {
          for (var record : late) {
            if (record.key().startsWith(run + "-")) {
              received++; // anything after the last expected one is a duplicate
            }
          }
        }
        System.out.printf("two instances published %,d of %,d due retries in %.1f s: %,.0f a second; goal 10 s: %.1f times "
            + "the goal, %.1f times the wire server's floor by key; %d published twice%n", attemptIds.size(), jobs, took,
            attemptIds.size() / took, took / 10, took / floor, received - attemptIds.size());
        if (processes) {
          for (var instance : List.of(first, second)) {
            System.out.println("process (-Xmx256m) after the load: " + ((ServiceProcess) instance).memory());
          }
          return;
        }
        var heapUnderLoad = heapAfterCollection();
        System.out.printf("heap: servers alone %,d MB; with both instances after the load %,d MB (about %,d MB an instance; "
            + "goal 256 MB); peak before collection %,d MB; resident %s (one process: broker, registry, wire server, "
            + "both instances)%n", mb(heapOfTheServers), mb(heapUnderLoad), mb((heapUnderLoad - heapOfTheServers) / 2),
            mb(peakHeap), resident());
      }
    }
  }

  /**
   * The wire server's own cost of what the dispatch asks of it for a batch of 1,000 jobs, on the
   * seeded collection, without the services: the due-jobs query (which it scans), a guarded write
   * each by key (a claim), a read of the batch by {@code _id} (the read-back, the views), another
   * write each (the finish with its command), the relay's query for pending messages (a scan too)
   * and a write each (clearing the outbox); undone afterwards, the best of five. Returns the floor for {@code jobs}:
   * the work by key alone, which no index saves (a real MongoDB answers both scans from an index).
   */
  private static double wireServerFloor(MongoCollection<Document> collection, int jobs) {
    var byKey = Double.MAX_VALUE;
    var scans = Double.MAX_VALUE;
    for (int round = 0; round < 5; round++) { // the best of five: the first rounds warm the server up
      var started = System.nanoTime();
      var candidates = collection.find(and(lte("dueAt", Date.from(DUE)), eq("state", "PENDING")))
          .limit(BATCH).projection(new Document("_id", 1).append("revision", 1))
          .into(new ArrayList<>());
      var scanning = seconds(started);
      var ids = candidates.stream().map(d -> d.get("_id")).toList();
      var writing = System.nanoTime();
      each(collection, candidates, Updates.set("owner", "floor"));
      collection.find(in("_id", ids)).into(new ArrayList<>());
      each(collection, candidates, Updates.set("floor", true));
      var keyed = seconds(writing);
      var relayQuery = System.nanoTime();
      collection.find(eq("hasPendingWork", true)).limit(BATCH).into(new ArrayList<>());
      scanning += seconds(relayQuery);
      var clearing = System.nanoTime();
      each(collection, candidates, Updates.unset("floor"));
      keyed += seconds(clearing);
      collection.updateMany(in("_id", ids), Updates.unset("owner"));
      byKey = Math.min(byKey, keyed);
      scans = Math.min(scans, scanning);
    }
    var floor = (double) jobs / BATCH * byKey;
    System.out.printf("wire server alone, a batch of %,d among %,d jobs: its reads and writes by key %.0f ms, for %,d jobs "
        + "%.1f s (the floor on this machine, with no service and both cores for the server); its two scans (due jobs, "
        + "pending messages) %.0f ms more a batch, which a real MongoDB answers from its indexes%n",
        BATCH, collection.countDocuments(), byKey * 1000, jobs, floor, scans * 1000);
    return floor;
  }

  /** One unordered bulk write of an update by id and revision for each document. */
  private static void each(MongoCollection<Document> collection, List<Document> documents, Bson update) {
    collection.bulkWrite(documents.stream().<WriteModel<Document>>map(d ->
        new UpdateOneModel<>(new Document("_id", d.get("_id")).append("revision", d.get("revision")), update)).toList(),
        new BulkWriteOptions().ordered(false));
  }

  /**
   * An instance in a process of its own, from the service's executable jar, with the heap capped at
   * the goal of 256 MB: its memory is its own to measure.
   */
  private static ServiceProcess process(Endpoints endpoints, String run) throws Exception {
    return ServiceProcess.start("retry-service", "256m", endpoints, List.of("--spring.mongodb.database=" + run,
        "--spring.kafka.consumer.group-id=retry-service-" + run, "--tsuzuku.retry.poll-interval=PT0.2S", "--tsuzuku.security.jwt-secret=" + JWT_SECRET));
  }

  private static ConfigurableApplicationContext instance(Endpoints endpoints, String run, MovableClock clock) {
    var arguments = new ArrayList<>(List.of("--spring.config.name=retry-service", "--server.port=0",
        "--spring.main.banner-mode=off", "--logging.level.root=WARN", "--spring.mongodb.database=" + run,
        "--spring.kafka.consumer.group-id=retry-service-" + run, "--tsuzuku.retry.poll-interval=PT0.2S",
        "--tsuzuku.security.jwt-secret=" + JWT_SECRET));
    endpoints.asEnvironment().forEach((name, value) -> arguments.add("--" + name + "=" + value));
    return new SpringApplicationBuilder(RetryServiceApplication.class)
        .initializers(context -> context.getBeanFactory().registerSingleton("benchmarkClock", clock))
        .run(arguments.toArray(String[]::new));
  }

  /** A consumer of the charge commands, placed at the topic's end before the clock moves. */
  private static KafkaConsumer<String, Object> consumer(Endpoints endpoints, String run) {
    var settings = new HashMap<String, Object>(AvroSerdes.consumerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, "count-" + run);
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    var consumer = new KafkaConsumer<String, Object>(settings);
    consumer.subscribe(List.of(Topics.CHARGE_REQUESTED.name()));
    while (consumer.assignment().isEmpty()) {
      consumer.poll(Duration.ofMillis(100));
    }
    consumer.seekToEnd(consumer.assignment());
    consumer.assignment().forEach(consumer::position);
    return consumer;
  }

  private static long heapAfterCollection() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String resident() throws java.io.IOException {
    return ServiceProcess.residentMemory(Path.of("/proc/self/status"));
  }

  private static long mb(long bytes) {
    return bytes / (1024 * 1024);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
