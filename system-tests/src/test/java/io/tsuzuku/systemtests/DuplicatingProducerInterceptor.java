package io.tsuzuku.systemtests;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Delivers every record twice: before a service's producer sends a record, a twin producer with
 * the same settings sends it too (same key, so the same partition, just ahead of it). Set on every
 * service's producers by {@link DuplicatedDeliveryIT}, it proves that at-least-once delivery
 * changes nothing.
 */
public final class DuplicatingProducerInterceptor implements ProducerInterceptor<Object, Object> {

  private KafkaProducer<Object, Object> twin;

  @Override
  public void configure(Map<String, ?> configs) {
    var settings = new HashMap<String, Object>(configs);
    settings.remove(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
    settings.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    settings.put(ProducerConfig.CLIENT_ID_CONFIG, configs.get(ProducerConfig.CLIENT_ID_CONFIG) + "-twin");
    twin = new KafkaProducer<>(settings);
  }

  @Override
  public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
    twin.send(new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(), record.value(), record.headers()));
    twin.flush();
    return record;
  }

  @Override
  public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

  @Override
  public void close() {
    if (twin != null) {
      twin.close();
    }
  }
}
