package io.tsuzuku.retry.config;

import com.mongodb.client.MongoClient;
import io.tsuzuku.retry.adapter.out.kafka.KafkaRetryEventPublisher;
import io.tsuzuku.retry.adapter.out.mongo.MongoJobStore;
import io.tsuzuku.retry.adapter.out.mongo.MongoViewStore;
import io.tsuzuku.retry.application.DueJobs;
import io.tsuzuku.retry.application.RetryScheduling;
import io.tsuzuku.kit.PeriodicTask;
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

/** Wires the retry service: stores, the scheduling use cases and the dispatch loop. */
@Configuration(proxyBeanMethods = false)
class RetryServiceConfiguration {

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
  MongoJobStore jobStore(MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return new MongoJobStore(client.getDatabase(database));
  }

  @Bean
  MongoViewStore viewStore(MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return new MongoViewStore(client.getDatabase(database));
  }

  @Bean
  KafkaRetryEventPublisher retryEventPublisher(KafkaTemplate<String, SpecificRecord> template) {
    return new KafkaRetryEventPublisher(template, Duration.ofSeconds(10));
  }

  @Bean
  RetryScheduling retryScheduling(
      MongoViewStore views, MongoJobStore jobs, KafkaRetryEventPublisher events, RetrySettings settings) {
    return new RetryScheduling(views, jobs, events, settings.policies(), settings.zone());
  }

  @Bean
  DueJobs dueJobs(MongoJobStore jobs, MongoViewStore views, KafkaRetryEventPublisher events, Clock clock, RetrySettings settings,
      MeterRegistry meters) {
    return new DueJobs(jobs, views, events, clock, Clock.systemUTC(), settings.lease(), settings.zone(),
        (job, state) -> meters.counter("tsuzuku.retry.jobs", "kind", job.kind().name(), "result", state.name()).increment());
  }

  /** Looks for due jobs every poll interval, as this instance (a claim's owner). */
  @Bean
  PeriodicTask retryDispatch(DueJobs dueJobs, RetrySettings settings, @Value("${spring.application.name}") String application) {
    var owner = application + "-" + UUID.randomUUID();
    return new PeriodicTask("retry-dispatch", settings.pollInterval(), () -> dueJobs.runDue(owner));
  }
}
