package io.tsuzuku.status.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClients;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.MovableClock;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.kit.outbox.MongoRelayMarks;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.status.application.HistoryEntry;
import io.tsuzuku.status.application.StoredContract;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Supporter;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The store's atomic writes and the relay's side of them against the MongoDB-wire server, as the relay and use cases race. */
@WithEmbeddedInfrastructure
class MongoContractStoreIT {

  @Test
  void aWriteGuardedByAnOldRevisionIsRefused(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var store = new MongoContractStore(client.getDatabase("store-it-" + UUID.randomUUID()));
      var stored = new StoredContract(contract(), List.of("e-1"), List.of(), List.of(), 0);

      assertThat(store.save(stored)).isTrue();
      assertThat(store.save(stored)).as("a second insert").isFalse();
      var loaded = store.load("c-1").orElseThrow();
      assertThat(store.save(loaded)).isTrue();
      assertThat(store.save(loaded)).as("the same revision again").isFalse();
      assertThat(store.load("c-1").orElseThrow().contract()).isEqualTo(contract());
    }
  }

  @Test
  void clearingRelayedDocumentsTogetherKeepsTheMessagesWrittenMeanwhile(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var database = client.getDatabase("store-it-" + UUID.randomUUID());
      var store = new MongoContractStore(database);
      var outbox = new MongoContractOutbox(database, new MongoContractHistory(database));
      store.save(new StoredContract(contract("c-1"), List.of("e-1"), List.of(message("c-1", "m-1")), List.of(), 0));
      store.save(new StoredContract(contract("c-2"), List.of("e-1"), List.of(message("c-2", "n-1")), List.of(), 0));
      var relayed = outbox.withPendingWork();
      var current = store.load("c-1").orElseThrow();
      store.save(new StoredContract(current.contract(), List.of("e-1", "e-2"),
          List.of(message("c-1", "m-1"), message("c-1", "m-2")), List.of(), current.revision()));

      outbox.relayed(relayed);

      assertThat(relayed).hasSize(2);
      assertThat(outbox.withPendingWork()).singleElement().satisfies(left -> {
        assertThat(left.contract().contractId()).isEqualTo("c-1");
        assertThat(left.outbox()).extracting(OutboxMessage::id).containsExactly("m-2");
      });
      outbox.relayed(outbox.withPendingWork());
      assertThat(outbox.withPendingWork()).isEmpty();
      assertThat(store.load("c-1").orElseThrow().recentEventIds()).containsExactly("e-1", "e-2");
    }
  }

  @Test
  void writingTogetherTellsWhichContractsAnotherWriterChangedOrRegisteredFirst(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var store = new MongoContractStore(client.getDatabase("store-it-" + UUID.randomUUID()));
      assertThat(store.saveAll(List.of(registered("c-1"), registered("c-2"), registered("c-3")))).isEmpty();
      var read = store.loadAll(List.of("c-1", "c-2", "c-3", "c-unknown"));
      assertThat(read).containsOnlyKeys("c-1", "c-2", "c-3");
      assertThat(store.save(seen(read.get("c-2"), "e-other"))).as("another writer").isTrue();

      var lost = store.saveAll(List.of(seen(read.get("c-1"), "e-2"), seen(read.get("c-2"), "e-2"), registered("c-3"),
          registered("c-4")));

      assertThat(lost).containsExactlyInAnyOrder("c-2", "c-3");
      assertThat(store.load("c-1").orElseThrow().recentEventIds()).containsExactly("e-1", "e-2");
      assertThat(store.load("c-2").orElseThrow().recentEventIds()).containsExactly("e-1", "e-other");
      assertThat(store.load("c-4")).isPresent();
    }
  }

  @Test
  void theRelayFindsWhatWasWrittenByItsMarkAndWhatACrashLeftUnmarkedByItsSweep(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var database = client.getDatabase("store-it-" + UUID.randomUUID());
      var clock = new MovableClock(Instant.parse("2026-11-26T00:00:00Z"));
      var store = new MongoContractStore(database);
      var outbox = new MongoContractOutbox(database, new MongoContractHistory(database), clock);
      assertThat(outbox.withPendingWork()).as("the first pass sweeps: nothing yet").isEmpty();

      store.saveAll(List.of(withMessage("c-1", "m-1")));
      assertThat(outbox.withPendingWork()).extracting(stored -> stored.contract().contractId()).containsExactly("c-1");
      outbox.relayed(outbox.withPendingWork());
      assertThat(outbox.withPendingWork()).isEmpty();
      assertThat(database.getCollection("contracts_to_relay").countDocuments()).isZero();

      // a process died between its write and its mark
      database.getCollection("contracts").insertOne(ContractDocuments.toDocument(withMessage("c-2", "n-1"), 1));
      assertThat(outbox.withPendingWork()).as("unmarked: found by the next sweep only").isEmpty();
      clock.advance(MongoRelayMarks.SWEEP);
      assertThat(outbox.withPendingWork()).extracting(stored -> stored.contract().contractId()).containsExactly("c-2");
      var read = outbox.withPendingWork();

      // written while the relay published what it read: its mark stays
      var current = store.load("c-2").orElseThrow();
      store.save(new StoredContract(current.contract(), List.of("e-1", "e-2"),
          List.of(message("c-2", "n-1"), message("c-2", "n-2")), List.of(), current.revision()));
      outbox.relayed(read);

      assertThat(outbox.withPendingWork()).singleElement().satisfies(left ->
          assertThat(left.outbox()).extracting(OutboxMessage::id).containsExactly("n-2"));
    }
  }

  /**
   * Lines of one instant (a standing plan's run books a retry that billing runs at once) are read
   * in the order the contract took them, whichever the relay wrote first.
   */
  @Test
  void aHistoryReadsLinesOfOneInstantInTheOrderTheContractTookThem(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var history = new MongoContractHistory(client.getDatabase("store-it-" + UUID.randomUUID()));
      var at = Instant.parse("2027-05-25T03:00:00Z");
      var registered = contract();
      var cardUpdated = registered.apply(new ContractEvent.PaymentMethodUpdated("card", at, "update-1", "c-1", "sealed"));
      var cancelled = cardUpdated.contract().apply(new ContractEvent.CancellationRequested("cancelled", at, Actor.DONATION_FORM, null));

      history.appendAll(List.of(HistoryEntry.of(cancelled, cardUpdated.contract().status()),
          HistoryEntry.of(cardUpdated, registered.status()), HistoryEntry.registered(registered, "registered")));

      assertThat(history.historyOf("c-1")).extracting(HistoryEntry::eventId).containsExactly("registered", "card", "cancelled");
    }
  }

  private static StoredContract withMessage(String contractId, String messageId) {
    return new StoredContract(contract(contractId), List.of("e-1"), List.of(message(contractId, messageId)), List.of(), 0);
  }

  private static StoredContract registered(String contractId) {
    return new StoredContract(contract(contractId), List.of("e-1"), List.of(), List.of(), 0);
  }

  private static StoredContract seen(StoredContract stored, String eventId) {
    var ids = new java.util.ArrayList<>(stored.recentEventIds());
    ids.add(eventId);
    return new StoredContract(stored.contract(), ids, stored.outbox(), stored.pendingHistory(), stored.revision());
  }

  private static Contract contract() {
    return contract("c-1");
  }

  private static Contract contract(String contractId) {
    return Contract.register(
        contractId, "org-1", Cohort.CURRENT, new Supporter("s-1", "山田 花子", "hanako@example.org"), 3000,
        Instant.parse("2026-11-01T00:00:00Z"));
  }

  private static OutboxMessage message(String contractId, String id) {
    return new OutboxMessage(id, contractId, "io.tsuzuku.events.ContractStatusChanged", new byte[] {1, 2, 3});
  }
}
