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

/** Idempotency keys are remembered for their time to live, then forgotten. */
@WithEmbeddedInfrastructure
class MongoIdempotencyStoreIT {

  @Test
  void aKeyIsRememberedForSevenDaysThenMakesRoomForANewRequest(Endpoints endpoints) {
    var clock = new MovableClock(Instant.parse("2027-01-01T00:00:00Z"));
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var database = client.getDatabase("idempotency-it-" + UUID.randomUUID());
      var store = new MongoIdempotencyStore(database, clock, Duration.ofDays(7));
      var answer = new BulkResult(false, List.of());

      assertThat(store.remember("org-1", "key-1", "body-a", answer)).isTrue();
      clock.advance(Duration.ofDays(6));
      assertThat(store.find("org-1", "key-1")).hasValueSatisfying(r -> assertThat(r.fingerprint()).isEqualTo("body-a"));
      assertThat(store.remember("org-1", "key-1", "body-b", answer)).as("still remembered").isFalse();

      clock.advance(Duration.ofDays(1));
      assertThat(store.find("org-1", "key-1")).isEmpty();
      assertThat(store.remember("org-1", "key-1", "body-b", answer)).isTrue();
      assertThat(store.find("org-1", "key-1")).hasValueSatisfying(r -> assertThat(r.fingerprint()).isEqualTo("body-b"));
      assertThat(database.getCollection("idempotent_requests").listIndexes().into(new java.util.ArrayList<>()))
          .anySatisfy(index -> assertThat(index.get("key", org.bson.Document.class)).containsKey("at"));
    }
  }
}
