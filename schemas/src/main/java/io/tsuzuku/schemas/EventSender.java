package io.tsuzuku.schemas;

import io.tsuzuku.events.EventHeader;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends events as the systems around tsuzuku do (the donation forms, the re-payment form): each to
 * its record type's topic ({@link Topics#of}), keyed by the contract id of its header, with the
 * registry-backed serializer ({@link AvroSerdes}); returns once the broker has them all. For
 * another team's first records, the local stack's demo organisation and the tests.
 */
public final class EventSender {

  private EventSender() {}

  /** @param client the bootstrap servers and credentials of the writer ({@link KafkaAccess#client}) */
  public static void send(Map<String, Object> client, String schemaRegistryUrl, SpecificRecord... events) {
    var settings = new HashMap<>(AvroSerdes.producerSettings(schemaRegistryUrl));
    settings.putAll(client);
    try (var producer = new KafkaProducer<String, SpecificRecord>(settings)) {
      for (var event : events) {
        var header = (EventHeader) event.get(event.getSchema().getField("header").pos());
        producer.send(new ProducerRecord<>(Topics.of(event.getClass()).name(), header.getContractId(), event)).get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending events", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the broker did not take an event", e);
    }
  }
}
