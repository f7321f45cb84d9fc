package io.tsuzuku.status;

import io.tsuzuku.schemas.KafkaAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClients;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topics;
import io.tsuzuku.status.adapter.out.kafka.AvroMessageFactory;
import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import io.tsuzuku.status.adapter.out.mongo.MongoContractHistory;
import io.tsuzuku.status.adapter.out.mongo.MongoContractOutbox;
import io.tsuzuku.status.adapter.out.mongo.MongoContractStore;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.kit.outbox.OutboxRelay;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Supporter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * A state change saved while the broker is unreachable is published once it is back: the relay's
 * messages wait in the contract's document, whatever happened to the process in between.
 */
@WithEmbeddedInfrastructure
class RelayAcrossBrokerOutageIT {

  @Test
  void aSnapshotSavedWhileTheBrokerIsDownIsPublishedWhenItIsUp(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var database = client.getDatabase("relay-it-" + UUID.randomUUID());
      var store = new MongoContractStore(database);
      var outbox = new MongoContractOutbox(database, new MongoContractHistory(database));
      var contractId = "c-" + UUID.randomUUID();
      new ContractEvents(store, new AvroMessageFactory(), () -> {})
          .register(Contract.register(contractId, "org-1", Cohort.CURRENT, new Supporter("s", "n", "e@example.org"), 3000, Instant.now()), "e-1");
      var waiting = outbox.withPendingWork().get(0).outbox().get(0);

      var down = template(endpoints, Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9")); // nothing listens there
      try {
        assertThatThrownBy(() -> OutboxRelay.sole(outbox, new KafkaMessagePublisher(down, Duration.ofSeconds(3))).relayPending())
            .hasMessageContaining("did not acknowledge");
      } finally {
        down.getProducerFactory().reset(); // closes the producer that keeps looking for the broker
      }
      assertThat(outbox.withPendingWork()).as("kept for the next pass").hasSize(1);

      var up = template(endpoints, endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
      var published = OutboxRelay.sole(outbox, new KafkaMessagePublisher(up, Duration.ofSeconds(10))).relayPending();

      assertThat(published).isEqualTo(1);
      assertThat(outbox.withPendingWork()).isEmpty();
      assertThat(read(endpoints, contractId)).singleElement()
          .satisfies(snapshot -> assertThat(snapshot.getHeader().getEventId()).isEqualTo(waiting.id()));
      up.getProducerFactory().reset();
    }
  }

  private static KafkaTemplate<String, SpecificRecord> template(Endpoints endpoints, Map<String, Object> kafka) {
    var settings = new HashMap<>(AvroSerdes.producerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(kafka);
    settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
    return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(settings));
  }

  private static List<ContractStatusChanged> read(Endpoints endpoints, String contractId) {
    var settings = new HashMap<>(AvroSerdes.consumerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, "relay-it-" + UUID.randomUUID());
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    var found = new ArrayList<ContractStatusChanged>();
    try (var consumer = new KafkaConsumer<String, Object>(settings)) {
      consumer.subscribe(List.of(Topics.CONTRACT_STATUS_CHANGED.name()));
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (contractId.equals(r.key())) {
            found.add((ContractStatusChanged) r.value());
          }
        });
        return !found.isEmpty();
      });
    }
    return found;
  }
}
