package io.tsuzuku.billing.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClients;
import io.tsuzuku.billing.application.port.LedgerStore.Saving;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.Cohort;
import io.tsuzuku.billing.domain.ContractStatus;
import io.tsuzuku.billing.domain.Ledger;
import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.kit.outbox.WriterSchemas;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The ledger's writes of a poll's contracts together: what they report when another writer came first. */
@WithEmbeddedInfrastructure
class MongoLedgerIT {

  private static final BillingCalendar MONTHLY = new BillingCalendar(BillingCalendar.Interval.MONTHLY, 1, 1);

  @Test
  void contractsWrittenTogetherNameEveryWriteNotKnownToBeSavedAndKeepTheirMessagesForTheRelay(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var ledger = new MongoLedger(client.getDatabase("ledger-it-" + UUID.randomUUID()));
      var a = registration("c-a");
      var b = registration("c-b");
      assertThat(ledger.saveAll(List.of(new Saving(a, List.of()), new Saving(b, List.of(message("m-b-1")))))).isEmpty();
      var storedA = ledger.find("c-a").orElseThrow();
      var storedB = ledger.find("c-b").orElseThrow();
      assertThat(storedA.revision()).isEqualTo(1);
      assertThat(ledger.findAll(List.of("c-a", "c-b", "c-none"))).containsOnlyKeys("c-a", "c-b");

      var cancelled = status(storedB, ContractStatus.CANCELLED, 5);
      assertThat(ledger.save(cancelled, List.of())).as("another instance writes c-b first").isTrue();

      var unsaved = ledger.saveAll(List.of(
          new Saving(status(storedA, ContractStatus.RETRYING, 2), List.of(message("m-a-1"))),
          new Saving(status(storedB, ContractStatus.RETRYING, 2), List.of(message("m-b-2"))),
          new Saving(registration("c-a"), List.of()), // registered again, as new: its id is taken
          new Saving(registration("c-c"), List.of())));

      assertThat(unsaved).as("every update once one lost, and the insert whose id was taken").containsExactlyInAnyOrder("c-a", "c-b");
      assertThat(ledger.find("c-a").orElseThrow().statusVersion()).as("saved all the same").isEqualTo(2);
      assertThat(ledger.find("c-b").orElseThrow().status()).as("the other writer's change stays").isEqualTo(ContractStatus.CANCELLED);
      assertThat(ledger.find("c-c")).isPresent();
      var relayed = ledger.outbox().withPendingWork().stream()
          .flatMap(pending -> pending.messages().stream()).map(OutboxMessage::id).toList();
      assertThat(relayed).containsExactlyInAnyOrder("m-a-1", "m-b-1");
    }
  }

  @Test
  void theStoreHoldsTheSchemaOfEveryRecordThisVersionWritesSoAnotherVersionReadsItsMessages(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var database = client.getDatabase("ledger-it-" + UUID.randomUUID());
      new MongoLedger(database);

      var stored = database.getCollection(WriterSchemas.COLLECTION).find(new org.bson.Document("_id", WriterSchemas.of(PaymentFailed.class)))
          .first();

      assertThat(stored).isNotNull();
      assertThat(stored.getString("schema")).isEqualTo(PaymentFailed.getClassSchema().toString());
    }
  }

  private static BilledContract registration(String contractId) {
    return BilledContract.registration(contractId, "org-1", Cohort.CURRENT, MONTHLY, 3000, "tok_ok", LocalDate.of(2027, 3, 1));
  }

  private static BilledContract status(BilledContract c, ContractStatus status, long version) {
    return Ledger.statusChanged(c, status, version, Instant.parse("2027-03-01T00:00:00Z")).next();
  }

  private static OutboxMessage message(String id) {
    return new OutboxMessage(id, "c", "PaymentSucceeded", new byte[] {1}, "{}", null);
  }
}
