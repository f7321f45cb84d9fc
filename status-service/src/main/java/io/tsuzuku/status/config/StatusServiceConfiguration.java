package io.tsuzuku.status.config;

import com.mongodb.client.MongoClient;
import io.tsuzuku.schemas.Topic;
import io.tsuzuku.status.adapter.in.kafka.UnprocessableEventException;
import io.tsuzuku.status.adapter.out.kafka.AvroMessageFactory;
import io.tsuzuku.status.adapter.out.kafka.KafkaMessagePublisher;
import io.tsuzuku.status.adapter.out.mongo.MongoContractStore;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.status.application.ContractQueries;
import io.tsuzuku.status.application.AdminOperations;
import io.tsuzuku.status.application.AdminPolicy;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import io.tsuzuku.status.application.IdempotentRequests;
import io.tsuzuku.status.adapter.out.mongo.MongoContractSearch;
import io.tsuzuku.status.adapter.out.mongo.MongoIdempotencyStore;
import java.time.Clock;
import io.tsuzuku.status.application.OutboxRelay;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;

/** Wires the status service: the store, the use cases, the relay and the Kafka error handling. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StatusLabels.class)
class StatusServiceConfiguration {

  @Bean
  MongoContractStore contractStore(MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return new MongoContractStore(client.getDatabase(database));
  }

  @Bean
  RelayLoop relayLoop(
      MongoContractStore store,
      KafkaTemplate<String, SpecificRecord> template,
      @Value("${tsuzuku.status.relay.interval}") Duration interval) {
    var publisher = new KafkaMessagePublisher(template, Duration.ofSeconds(10));
    return new RelayLoop(new OutboxRelay(store, publisher, store), interval);
  }

  @Bean
  ContractQueries contractQueries(MongoContractStore store) {
    return new ContractQueries(store, store);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  AdminOperations adminOperations(
      ContractEvents contracts, MongoClient client, @Value("${spring.mongodb.database}") String database,
      Environment environment, Clock clock) {
    var search = new MongoContractSearch(client.getDatabase(database));
    var policy = Binder.get(environment).bindOrCreate("tsuzuku.admin", AdminPolicy.class);
    return new AdminOperations(contracts, search, search, policy, clock);
  }

  @Bean
  IdempotentRequests idempotentRequests(MongoClient client, @Value("${spring.mongodb.database}") String database, Clock clock) {
    return new IdempotentRequests(new MongoIdempotencyStore(client.getDatabase(database), clock));
  }

  @Bean
  ContractEvents contractEvents(MongoContractStore store, RelayLoop relay) {
    return new ContractEvents(store, new AvroMessageFactory(), relay::nudge);
  }

  /**
   * One error handler for every listener: transient failures (a contract not registered yet, the
   * store unreachable) are retried with backoff; then, and at once for records that cannot be
   * decoded or mapped, the record goes to {@code <topic>-dlt} with the exception in its headers.
   */
  @Bean
  CommonErrorHandler kafkaErrorHandler(
      ProducerFactory<Object, Object> producerFactory, KafkaTemplate<String, SpecificRecord> avroTemplate) {
    var rawSettings = new HashMap<>(producerFactory.getConfigurationProperties());
    rawSettings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    rawSettings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    var rawTemplate = new KafkaTemplate<>(new DefaultKafkaProducerFactory<String, byte[]>(rawSettings));
    Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
    templates.put(byte[].class, rawTemplate);
    templates.put(Object.class, avroTemplate);
    var recoverer =
        new DeadLetterPublishingRecoverer(
            templates,
            (record, exception) -> new TopicPartition(record.topic() + Topic.DEAD_LETTER_SUFFIX, -1));
    var backOff = new ExponentialBackOffWithMaxRetries(6);
    backOff.setInitialInterval(200);
    backOff.setMultiplier(2);
    var handler = new DefaultErrorHandler(recoverer, backOff);
    handler.addNotRetryableExceptions(UnprocessableEventException.class);
    return handler;
  }
}
