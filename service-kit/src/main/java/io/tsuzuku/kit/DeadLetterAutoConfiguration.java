package io.tsuzuku.kit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tsuzuku.schemas.Topic;
import io.tsuzuku.schemas.UnprocessableRecordException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * One error handler for every listener of every service (the spring-kafka samples' shape), with
 * the retry path chosen by {@link RecordRetries}: a record that cannot be decoded or understood
 * goes to {@code <topic>-dlt} at once, with the exception in its headers and the reason an operator
 * reads ({@link DeadLetters#REASON}); an event about a contract not learned yet is parked after
 * a few quick tries ({@link ParkedRecords}: tried again on a schedule, its partition going on) and
 * dead-lettered only once it has waited for hours; a transient failure (a store or the broker
 * unreachable) never: it is retried until it passes. Nothing is dropped: a listener never catches
 * and logs. Each try, parking and dead letter is one WARN line with the reason ({@link LoggedRetries}).
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnClass(DeadLetterPublishingRecoverer.class)
@ConditionalOnBean(KafkaTemplate.class)
public class DeadLetterAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(CommonErrorHandler.class)
  CommonErrorHandler tsuzukuDeadLetterErrorHandler(ProducerFactory<?, ?> producerFactory, KafkaTemplate<?, ?> template,
      ObjectProvider<MeterRegistry> meters, ObjectProvider<ParkedRecords> parking) {
    var registry = meters.getIfAvailable(SimpleMeterRegistry::new);
    // decoded records go back as they came; undecodable ones as the raw bytes they were
    var rawSettings = new HashMap<>(producerFactory.getConfigurationProperties());
    rawSettings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    rawSettings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    var raw = new KafkaTemplate<>(new DefaultKafkaProducerFactory<String, byte[]>(rawSettings));
    Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
    templates.put(byte[].class, raw);
    templates.put(Object.class, template);
    var recoverer =
        new DeadLetterPublishingRecoverer(
            templates, (record, exception) -> {
              // a record back from the parking is dead-lettered as one of the topic it was first written to
              registry.counter("tsuzuku.dead.letters", "topic", Topic.source(record.topic())).increment();
              return new TopicPartition(Topic.source(record.topic()) + Topic.DEAD_LETTER_SUFFIX, -1);
            });
    recoverer.addHeadersFunction((record, exception) -> new RecordHeaders().add(
        DeadLetters.REASON, RecordRetries.reasonOf(exception).getBytes(StandardCharsets.UTF_8)));
    var parked = parking.getIfAvailable();
    ConsumerAwareRecordRecoverer parkOrDeadLetter = (record, consumer, exception) -> {
      if (parked != null && RecordRetries.causedBy(exception, UnknownContractException.class)
          && record.value() instanceof SpecificRecord) {
        var since = parked.parkedSince(record.headers());
        if (!parked.givenUp(since)) {
          parked.park(record, KafkaUtils.getConsumerGroupId(), RecordRetries.reasonOf(exception));
          registry.counter("tsuzuku.parked.records", "topic", Topic.source(record.topic())).increment();
          LoggedRetries.setAside(record, "parked", exception);
          return;
        }
        exception = new UnprocessableRecordException("its contract was still unknown here after waiting since " + since
            + ": " + RecordRetries.reasonOf(exception));
      }
      recoverer.accept(record, consumer, exception);
      LoggedRetries.setAside(record, "dead-lettered to " + Topic.source(record.topic()) + Topic.DEAD_LETTER_SUFFIX, exception);
      if (parked != null) {
        parked.handled(record, KafkaUtils.getConsumerGroupId()); // a copy sent again from the parking ends here
      }
    };
    var handler = new DefaultErrorHandler(parkOrDeadLetter, RecordRetries.transientBackOff());
    handler.setBackOffFunction((record, failure) -> RecordRetries.backOffFor(failure));
    handler.addNotRetryableExceptions(UnprocessableRecordException.class);
    // a retry is routine: LoggedRetries says it in one line, and the container's own report of the
    // seek that retries (an ERROR with the stack trace by default) is for debugging only
    handler.setLogLevel(KafkaException.Level.DEBUG);
    handler.setRetryListeners(new LoggedRetries());
    return handler;
  }
}
