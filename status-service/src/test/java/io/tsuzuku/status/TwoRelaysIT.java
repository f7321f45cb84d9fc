package io.tsuzuku.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import io.tsuzuku.kit.outbox.MongoParkedMessages;
import io.tsuzuku.kit.MongoLeases;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.kit.outbox.MessagePublisher;
import io.tsuzuku.kit.outbox.OutboxRelay;
import io.tsuzuku.status.adapter.out.kafka.AvroMessageFactory;
import io.tsuzuku.status.adapter.out.mongo.MongoContractHistory;
import io.tsuzuku.status.adapter.out.mongo.MongoContractOutbox;
import io.tsuzuku.status.adapter.out.mongo.MongoContractStore;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.status.domain.Attempt;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Supporter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the status-service relay the same contracts while their events are applied:
 * the real store and the real lease. Per contract, the snapshots go out in version order and the
 * last one out is the contract's latest, so the compacted status topic never ends on a stale one.
 */
@WithEmbeddedInfrastructure
class TwoRelaysIT {

  private static final LocalDate PERIOD = LocalDate.of(2027, 4, 1);

  @Test
  void twoInstancesRelayingTogetherNeverPublishAnOlderSnapshotAfterANewerOne(Endpoints endpoints) throws Exception {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var database = client.getDatabase("two-relays-it-" + UUID.randomUUID());
      var store = new MongoContractStore(database);
      var published = Collections.synchronizedList(new ArrayList<OutboxMessage>());
      var parked = new MongoParkedMessages(database);
      var relays = List.of(
          new OutboxRelay<>("a", new MongoContractOutbox(database, new MongoContractHistory(database)), MessagePublisher.oneByOne(published::add), new MongoLeases(database).named("status-outbox"), parked,
              Duration.ofSeconds(10), new SimpleMeterRegistry()),
          new OutboxRelay<>("b", new MongoContractOutbox(database, new MongoContractHistory(database)), MessagePublisher.oneByOne(published::add), new MongoLeases(database).named("status-outbox"),
              parked, Duration.ofSeconds(10), new SimpleMeterRegistry()));
      var events = new ContractEvents(store, new AvroMessageFactory(), () -> {});
      var writing = new AtomicBoolean(true);
      var running = relays.stream()
          .map(relay -> CompletableFuture.runAsync(() -> {
            while (writing.get()) {
              relay.relayPending();
            }
          }))
          .toList();

      var contracts = List.of("c-1", "c-2", "c-3", "c-4");
      var at = Instant.parse("2027-04-01T00:00:00Z");
      for (var id : contracts) {
        events.register(Contract.register(id, "org-1", Cohort.CURRENT, new Supporter("s", "n", "e@example.org"), 3000, at), "r-" + id);
      }
      for (int round = 1; round <= 15; round++) {
        for (var id : contracts) {
          var when = at.plusSeconds(3600L * round);
          events.apply(id, round % 2 == 1
              ? new ContractEvent.PaymentFailed("f-" + id + round, when, new Attempt(id + ":" + round, PERIOD.plusMonths(round),
                  ChargeKind.SCHEDULED, 0), 3000, new Failure("card_declined", "SOFT_DECLINE", when))
              : new ContractEvent.PaymentSucceeded("s-" + id + round, when, new Attempt(id + ":" + round + ":r",
                  PERIOD.plusMonths(round - 1), ChargeKind.SUPPORTER_REPAYMENT, 0), 3000));
        }
      }
      writing.set(false);
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
      relays.get(1).relayPending();
      relays.get(0).relayPending();

      Map<String, List<Long>> versions = new HashMap<>();
      for (var message : published) {
        if (KafkaMessagePublisher.decode(message) instanceof ContractStatusChanged snapshot) {
          versions.computeIfAbsent(message.contractId(), k -> new ArrayList<>()).add(snapshot.getVersion());
        }
      }
      for (var id : contracts) {
        var latest = store.load(id).orElseThrow().contract().version();
        assertThat(versions.get(id)).as(id).isSorted().doesNotHaveDuplicates().last().isEqualTo(latest);
      }
      assertThat(new MongoContractOutbox(database, new MongoContractHistory(database)).withPendingWork()).isEmpty();
    }
  }
}
