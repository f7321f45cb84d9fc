package io.tsuzuku.kit;

import com.mongodb.client.MongoClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import io.tsuzuku.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.listener.adapter.RecordFilterStrategy;
import org.springframework.kafka.support.KafkaUtils;

/**
 * Parks the events about contracts a service has not learned yet ({@link ParkedRecords}) in its
 * MongoDB, with every later record of their contract on their topic behind them, tries them again
 * on a schedule, skips in every listener the records sent again for another consumer group, and
 * lists them for operators at {@code /actuator/parkedrecords}.
 */
@AutoConfiguration(after = {MongoAutoConfiguration.class, KafkaAutoConfiguration.class})
@ConditionalOnClass({MongoClient.class, KafkaTemplate.class})
@ConditionalOnBean({MongoClient.class, KafkaTemplate.class})
public class ParkedRecordsAutoConfiguration {

  @Bean
  ParkedRecords parkedRecords(MongoClient client, @Value("${spring.mongodb.database}") String database,
      ObjectProvider<Clock> clock, @Value("${tsuzuku.parking.retry-every:PT30S}") Duration retryEvery,
      @Value("${tsuzuku.parking.give-up-after:PT24H}") Duration giveUpAfter, ObjectProvider<MeterRegistry> meters) {
    var parked = new ParkedRecords(client.getDatabase(database), clock.getIfAvailable(Clock::systemUTC), retryEvery, giveUpAfter);
    meters.ifAvailable(registry -> registry.gauge("tsuzuku.parked.waiting", parked, ParkedRecords::count));
    return parked;
  }

  /**
   * Every few seconds, the parked records due again are sent to this service's parked topic of
   * their topic, for their group ({@link ParkedRecords#PARKED_FOR}; another group of the service,
   * such as a benchmark's, skips them).
   */
  @Bean
  PeriodicTask parkedRecordsReplay(ParkedRecords parked, KafkaTemplate<String, SpecificRecord> template,
      @Value("${tsuzuku.parking.pass-interval:PT5S}") Duration interval, @Value("${spring.application.name}") String service) {
    return new PeriodicTask("parked-records", interval, () -> {
      parked.refresh();
      sendDue(parked, template, service);
    });
  }

  private static void sendDue(ParkedRecords parked, KafkaTemplate<String, SpecificRecord> template, String service) {
    parked.sendDue(100, (due, headers) -> {
      var value = KafkaMessagePublisher.decode(due.message());
      var record = new ProducerRecord<>(Topic.parkedTopic(due.parked().topic(), service), null, due.message().contractId(), value, headers);
      try {
        template.send(record).get(KafkaMessagePublisher.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("the broker did not take a parked record back: " + due.parked().id(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    });
  }

  /**
   * A record of a contract whose earlier record on its topic is parked for this group is parked
   * behind it instead of handled (the partition's order kept); a record listener's or a batch's.
   */
  @Bean
  RecordInterceptor<Object, Object> parkedAheadRecords(ParkedRecords parked) {
    return new RecordInterceptor<>() {
      @Override
      public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        return parkBehind(parked, record) ? null : record;
      }

      @Override
      public void success(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        handled(parked, record);
      }
    };
  }

  @Bean
  BatchInterceptor<Object, Object> parkedAheadBatches(ParkedRecords parked) {
    return new BatchInterceptor<>() {
      @Override
      public ConsumerRecords<Object, Object> intercept(ConsumerRecords<Object, Object> records, Consumer<Object, Object> consumer) {
        var kept = new LinkedHashMap<TopicPartition, List<ConsumerRecord<Object, Object>>>();
        var parkedAny = false;
        for (var partition : records.partitions()) {
          for (var record : records.records(partition)) {
            if (parkBehind(parked, record)) {
              parkedAny = true;
            } else {
              kept.computeIfAbsent(partition, p -> new ArrayList<>()).add(record);
            }
          }
        }
        return parkedAny ? new ConsumerRecords<>(kept, records.nextOffsets()) : records;
      }

      @Override
      public void success(ConsumerRecords<Object, Object> records, Consumer<Object, Object> consumer) {
        records.forEach(record -> handled(parked, record));
      }
    };
  }

  /** Parks the record behind one of its contract's, when one is parked for this group ahead of it. */
  private static boolean parkBehind(ParkedRecords parked, ConsumerRecord<Object, Object> record) {
    var group = KafkaUtils.getConsumerGroupId();
    var parkedFor = record.headers().lastHeader(ParkedRecords.PARKED_FOR);
    if (group == null || !(record.value() instanceof SpecificRecord)
        || parkedFor != null && !new String(parkedFor.value(), StandardCharsets.UTF_8).equals(group)) {
      return false;
    }
    var lastAhead = parked.lastAhead(record, group);
    if (lastAhead == null) {
      return false;
    }
    parked.parkBehind(record, group, lastAhead);
    return true;
  }

  /** A record sent again from the parking for this group was handled: it is parked no more. */
  private static void handled(ParkedRecords parked, ConsumerRecord<Object, Object> record) {
    var group = KafkaUtils.getConsumerGroupId();
    if (group != null && record.headers().lastHeader(ParkedRecords.PARKED_FOR) != null) {
      parked.handled(record, group);
    }
  }

  /** Partitions given to this instance may have records another instance parked: it reads which groups have some. */
  @Bean
  ConsumerAwareRebalanceListener parkedRecordsOnAssignment(ParkedRecords parked) {
    return new ConsumerAwareRebalanceListener() {
      @Override
      public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        parked.refresh();
      }
    };
  }

  /** A record sent again from the parking is for the group that parked it: the others skip it. */
  @Bean
  RecordFilterStrategy<Object, Object> parkedForAnotherGroup() {
    return record -> {
      var parkedFor = record.headers().lastHeader(ParkedRecords.PARKED_FOR);
      return parkedFor != null && !new String(parkedFor.value(), StandardCharsets.UTF_8).equals(KafkaUtils.getConsumerGroupId());
    };
  }

  @Bean
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  ParkedRecordsEndpoint parkedRecordsEndpoint(ParkedRecords parked) {
    return new ParkedRecordsEndpoint(parked);
  }
}
