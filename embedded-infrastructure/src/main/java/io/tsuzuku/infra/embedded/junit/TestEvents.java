package io.tsuzuku.infra.embedded.junit;

import io.tsuzuku.events.EventHeader;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topics;
import java.util.HashMap;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends events as the other systems do: each to its record type's topic, keyed by the contract id
 * of its header, through the registry-backed serializer; returns once the broker has them all.
 */
public final class TestEvents {

  private TestEvents() {}

  public static void send(Endpoints endpoints, SpecificRecord... events) {
    var settings = new HashMap<>(AvroSerdes.producerSettings(endpoints.schemaRegistryUrl()));
    settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrapServers());
    try (var producer = new KafkaProducer<String, SpecificRecord>(settings)) {
      for (var event : events) {
        var header = (EventHeader) event.get(event.getSchema().getField("header").pos());
        producer.send(new ProducerRecord<>(Topics.of(event.getClass()).name(), header.getContractId(), event)).get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending test events", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the broker did not take a test event", e);
    }
  }
}
