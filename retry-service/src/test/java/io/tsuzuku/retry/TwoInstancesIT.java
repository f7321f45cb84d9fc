package io.tsuzuku.retry;

import io.tsuzuku.schemas.KafkaAccess;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClients;
import io.tsuzuku.events.ChargeRequested;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.retry.adapter.out.mongo.MongoJobStore;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the retry service on the same MongoDB and broker, 10,000 jobs due at once:
 * every job is dispatched, and none by both. Prints how long it took (a figure, not a limit).
 */
@WithEmbeddedInfrastructure
class TwoInstancesIT {

  private static final int JOBS = 10_000;

  @Test
  void twoInstancesDispatchTenThousandDueJobsEachExactlyOnce(Endpoints endpoints) {
    var run = "two-" + UUID.randomUUID().toString().substring(0, 8);
    var database = "retry-" + run;
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var store = new MongoJobStore(client.getDatabase(database));
      var due = Instant.now().minusSeconds(60);
      for (int i = 0; i < JOBS; i++) {
        store.schedule(RetryJob.of(run + "-" + i, "org-1", JobKind.AUTO_RETRY, 1, LocalDate.of(2026, 11, 1), due));
      }

      var started = System.nanoTime();
      try (var first = instance(database); var second = instance(database)) {
        var attemptIds = readChargeRequests(endpoints, run);
        var seconds = (System.nanoTime() - started) / 1e9;

        assertThat(attemptIds).hasSize(JOBS);
        assertThat(new HashSet<>(attemptIds)).as("no job dispatched twice").hasSize(JOBS);
        var owners = client.getDatabase(database).getCollection("retry_jobs")
            .distinct("owner", String.class).into(new java.util.ArrayList<>());
        // the instances also read the topics' history from other tests: count this run's jobs only
        var done = client.getDatabase(database).getCollection("retry_jobs")
            .countDocuments(new Document("state", "DONE").append("contractId", new Document("$regex", "^" + run + "-")));
        assertThat(done).isEqualTo(JOBS);
        System.out.printf("two instances dispatched %d due jobs in %.1f s (%.0f jobs/s), owners %s%n",
            JOBS, seconds, JOBS / seconds, owners);
      }
    }
  }

  private static ConfigurableApplicationContext instance(String database) {
    return new SpringApplicationBuilder(RetryServiceApplication.class)
        .run(
            "--server.port=0",
            "--spring.mongodb.database=" + database,
            "--tsuzuku.retry.poll-interval=PT0.2S",
            "--spring.kafka.consumer.group-id=retry-service-" + database);
  }

  /** The attempt ids of every ChargeRequested of this run, once all have arrived (or 3 minutes). */
  private static List<String> readChargeRequests(Endpoints endpoints, String run) {
    var settings = new HashMap<>(AvroSerdes.consumerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, run);
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    var attemptIds = new java.util.ArrayList<String>();
    var deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    try (var consumer = new KafkaConsumer<String, Object>(settings)) {
      consumer.subscribe(List.of(Topics.CHARGE_REQUESTED.name()));
      var quietSince = 0L;
      while (System.nanoTime() < deadline) {
        var records = consumer.poll(Duration.ofMillis(500));
        records.forEach(r -> {
          if (r.key().startsWith(run + "-")) {
            attemptIds.add(((ChargeRequested) r.value()).getAttemptId());
          }
        });
        // all arrived: wait a little longer for any duplicate before answering
        if (attemptIds.size() >= JOBS) {
          quietSince = quietSince == 0 ? System.nanoTime() : quietSince;
          if (System.nanoTime() - quietSince > Duration.ofSeconds(3).toNanos()) {
            break;
          }
        }
      }
    }
    return attemptIds;
  }
}
