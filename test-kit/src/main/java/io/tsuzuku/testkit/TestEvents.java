package io.tsuzuku.testkit;

import io.tsuzuku.schemas.KafkaAccess;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.EventSender;
import io.tsuzuku.schemas.Topics;
import java.util.HashMap;
import java.util.function.IntFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends events to the test's servers as the other systems do ({@link EventSender}). */
public final class TestEvents {

  private TestEvents() {}

  public static void send(Endpoints endpoints, SpecificRecord... events) {
    EventSender.send(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT), endpoints.schemaRegistryUrl(), events);
  }

  /**
   * Sends {@code count} events, {@code event.apply(i)} for each i, through one producer without
   * waiting for each, flushed at the end: a benchmark's load. Each goes to its type's topic, keyed
   * by its contract.
   */
  public static void sendMany(Endpoints endpoints, int count, IntFunction<SpecificRecord> event) {
    var settings = new HashMap<>(AvroSerdes.producerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    try (var producer = new KafkaProducer<String, SpecificRecord>(settings)) {
      for (int i = 0; i < count; i++) {
        var record = event.apply(i);
        var header = (EventHeader) record.get(record.getSchema().getField("header").pos());
        producer.send(new ProducerRecord<>(Topics.of(record.getClass()).name(), header.getContractId(), record));
      }
      producer.flush();
    }
  }
}
