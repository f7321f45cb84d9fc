package io.tsuzuku.retry.config;

import com.mongodb.client.MongoClient;
import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import io.tsuzuku.kit.outbox.MongoOutbox;
import io.tsuzuku.kit.MongoLeases;
import io.tsuzuku.kit.outbox.OutboxRelay;
import io.tsuzuku.kit.outbox.ParkedMessages;
import io.tsuzuku.retry.domain.RetryPlanner;
import io.tsuzuku.retry.adapter.out.kafka.AvroRetryMessages;
import io.tsuzuku.retry.adapter.out.mongo.MongoJobStore;
import io.tsuzuku.retry.adapter.out.mongo.MongoViewStore;
import io.tsuzuku.retry.application.DueJobs;
import io.tsuzuku.retry.application.RetryScheduling;
import io.tsuzuku.kit.PeriodicTask;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaTemplate;

/** Wires the retry service: stores, the scheduling use cases, the dispatch loop and the outbox relay. */
@Configuration(proxyBeanMethods = false)
class RetryServiceConfiguration {

  /** Documents a relay read takes at once: two chunks of messages (each query may scan, see MongoOutbox). */
  private static final int RELAY_BATCH = 2 * OutboxRelay.CHUNK;

  @Bean
  RetrySettings retrySettings(Environment environment) {
    return Binder.get(environment).bindOrCreate("tsuzuku.retry", RetrySettings.class);
  }

  /** The system's clock, unless the local stack or a test brings one (a simulated or a movable clock). */
  @Bean
  @ConditionalOnMissingBean(Clock.class)
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  MongoJobStore jobStore(MongoClient client, @Value("${spring.mongodb.database}") String database, Clock clock,
      MeterRegistry meters) {
    var jobs = new MongoJobStore(client.getDatabase(database));
    // due: should run now; overdue: should have run more than five minutes ago (the dispatch is stuck)
    Gauge.builder("tsuzuku.retry.jobs.due", jobs, j -> j.countWaiting(clock.instant())).register(meters);
    Gauge.builder("tsuzuku.retry.jobs.overdue", jobs, j -> j.countWaiting(clock.instant().minus(Duration.ofMinutes(5))))
        .register(meters);
    return jobs;
  }

  @Bean
  MongoViewStore viewStore(MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return new MongoViewStore(client.getDatabase(database));
  }

  /** The outbox relay over the views and the jobs: every interval, and at once after a write with messages. */
  @Bean
  PeriodicTask outboxRelay(MongoClient client, @Value("${spring.mongodb.database}") String database,
      MongoViewStore views, MongoJobStore jobs, KafkaTemplate<String, SpecificRecord> template,
      ParkedMessages parkedMessages, MeterRegistry meters, @Value("${tsuzuku.retry.relay-interval}") Duration interval) {
    var db = client.getDatabase(database);
    var store = MongoOutbox.relayStore(RELAY_BATCH, views.outbox(), jobs.outbox());
    var relay = new OutboxRelay<>("retry-outbox", store, new KafkaMessagePublisher(template, KafkaMessagePublisher.TIMEOUT),
        new MongoLeases(db).named("retry-outbox"), parkedMessages, KafkaMessagePublisher.TIMEOUT.multipliedBy(2), meters);
    return new PeriodicTask("retry-outbox-relay", interval, null, relay::relayPending, relay::release);
  }

  @Bean
  RetryScheduling retryScheduling(MongoViewStore views, MongoJobStore jobs, RetrySettings settings, PeriodicTask outboxRelay) {
    return new RetryScheduling(views, jobs, new AvroRetryMessages(), new RetryPlanner(settings.policies(), settings.zone()),
        outboxRelay::nudge);
  }

  @Bean
  DueJobs dueJobs(MongoJobStore jobs, MongoViewStore views, Clock clock, RetrySettings settings, MeterRegistry meters,
      PeriodicTask outboxRelay) {
    return new DueJobs(jobs, views, new AvroRetryMessages(), clock, Clock.systemUTC(), settings.lease(), settings.zone(),
        (job, state) -> meters.counter("tsuzuku.retry.jobs", "kind", job.kind().name(), "result", state.name()).increment(),
        outboxRelay::nudge);
  }

  /** Looks for due jobs every poll interval, as this instance (a claim's owner). */
  @Bean
  PeriodicTask retryDispatch(DueJobs dueJobs, RetrySettings settings, @Value("${spring.application.name}") String application) {
    var owner = application + "-" + UUID.randomUUID();
    return new PeriodicTask("retry-dispatch", settings.pollInterval(), () -> dueJobs.runDue(owner));
  }
}
