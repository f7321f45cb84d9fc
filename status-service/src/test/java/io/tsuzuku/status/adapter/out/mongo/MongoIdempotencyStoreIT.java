package io.tsuzuku.status.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClients;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.MovableClock;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.status.application.BulkResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Idempotency keys are kept with the contracts their request resolved, then its answer, for their time, then forgotten. */
@WithEmbeddedInfrastructure
class MongoIdempotencyStoreIT {

  @Test
  void aKeyKeepsItsContractsThenItsAnswerForItsTimeThenMakesRoomForANewRequest(Endpoints endpoints) {
    var clock = new MovableClock(Instant.parse("2027-01-01T00:00:00Z"));
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var database = client.getDatabase("idempotency-it-" + UUID.randomUUID());
      var store = new MongoIdempotencyStore(database, clock, Duration.ofDays(97));
      var answer = new BulkResult(false, List.of(new BulkResult.Item("c-1", BulkResult.Outcome.CANCELLED, null, null)));

      assertThat(store.begin("org-1", "key-1", "body-a", List.of("c-1", "c-2"))).isTrue();
      assertThat(store.begin("org-1", "key-1", "body-a", List.of("c-3"))).as("taken").isFalse();
      assertThat(store.find("org-1", "key-1")).hasValueSatisfying(r -> {
        assertThat(r.contractIds()).containsExactly("c-1", "c-2");
        assertThat(r.result()).as("no answer yet").isNull();
        assertThat(r.begunAt()).isEqualTo(clock.instant());
      });
      store.complete("org-1", "key-1", answer);
      clock.advance(Duration.ofDays(96));
      assertThat(store.find("org-1", "key-1")).hasValueSatisfying(r -> assertThat(r.result()).isEqualTo(answer));

      clock.advance(Duration.ofDays(1));
      assertThat(store.find("org-1", "key-1")).isEmpty();
      assertThat(store.begin("org-1", "key-1", "body-b", List.of())).isTrue();
      store.forget("org-1", "key-1");
      assertThat(store.find("org-1", "key-1")).isEmpty();
      assertThat(database.getCollection("idempotent_requests").listIndexes().into(new java.util.ArrayList<>()))
          .anySatisfy(index -> assertThat(index.get("key", org.bson.Document.class)).containsKey("expireAt"));
    }
  }
}
