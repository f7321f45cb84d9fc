package io.tsuzuku.billing.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClients;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.schemas.AttemptBudget;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** A card's places in its attempt budget, shared by every contract and every instance that charges it. */
@WithEmbeddedInfrastructure
class MongoCardAttemptsIT {

  private static final Instant MONDAY = Instant.parse("2027-03-01T00:00:00Z");

  @Test
  void aCardHasRoomForTheNetworksAttemptsInAnyThirtyDaysWhoeverMakesThem(Endpoints endpoints) throws Exception {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var cards = new MongoCardAttempts(client.getDatabase("card-attempts-it-" + UUID.randomUUID()));
      for (int i = 0; i < AttemptBudget.MAX_ATTEMPTS - 1; i++) {
        assertThat(cards.reserve("org-1", "pm_1", "c-" + (i % 3) + ":" + i, MONDAY.plus(Duration.ofHours(i)))).isTrue();
      }

      var lastPlace = new ArrayList<Callable<Boolean>>();
      for (int i = 0; i < 4; i++) {
        var attemptId = "c-9:racing-" + i;
        lastPlace.add(() -> cards.reserve("org-1", "pm_1", attemptId, MONDAY.plus(Duration.ofDays(1))));
      }
      var pool = Executors.newFixedThreadPool(4);
      var won = 0;
      for (var answer : pool.invokeAll(lastPlace)) {
        won += answer.get() ? 1 : 0;
      }
      pool.shutdown();

      assertThat(won).as("instances racing for the card's last place").isEqualTo(1);
      assertThat(cards.reserve("org-1", "pm_1", "c-0:0", MONDAY.plus(Duration.ofDays(2)))).as("an attempt that holds its place").isTrue();
      assertThat(cards.reserve("org-1", "pm_1", "c-5:next", MONDAY.plus(Duration.ofDays(2)))).isFalse();
      assertThat(cards.reserve("org-2", "pm_1", "c-5:next", MONDAY.plus(Duration.ofDays(2)))).as("another organisation's card").isTrue();

      cards.release("org-1", "pm_1", "c-1:1");
      assertThat(cards.reserve("org-1", "pm_1", "c-5:next", MONDAY.plus(Duration.ofDays(2)))).as("a place given back").isTrue();
      assertThat(cards.reserve("org-1", "pm_1", "c-5:later", MONDAY.plus(Duration.ofDays(30)))).as("the first left the window").isTrue();
      assertThat(cards.reserve("org-1", "pm_1", "c-5:later-still", MONDAY.plus(Duration.ofDays(30)))).isFalse();
    }
  }

  @Test
  void aCardLeftWithNoPlaceKeepsNoDocumentAndAPlaceGivenBackLeavesTheOthers(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var database = client.getDatabase("card-attempts-it-" + UUID.randomUUID());
      var cards = new MongoCardAttempts(database);
      var stored = database.getCollection("card_attempts");

      assertThat(cards.reserve("org-1", "pm_ok", "c-1:scheduled", MONDAY)).isTrue();
      cards.release("org-1", "pm_ok", "c-1:scheduled"); // it succeeded
      assertThat(stored.countDocuments()).as("a card with no place").isZero();

      assertThat(cards.reserve("org-1", "pm_2", "c-2:a", MONDAY)).isTrue();
      assertThat(cards.reserve("org-1", "pm_2", "c-3:a", MONDAY)).isTrue();
      cards.release("org-1", "pm_2", "c-2:a");
      cards.release("org-1", "pm_2", "c-2:a"); // given back twice: nothing more
      assertThat(stored.find().first().getList("places", org.bson.Document.class))
          .extracting(place -> place.getString("attemptId")).containsExactly("c-3:a");
      for (int i = 0; i < AttemptBudget.MAX_ATTEMPTS - 1; i++) {
        assertThat(cards.reserve("org-1", "pm_2", "c-4:" + i, MONDAY)).isTrue();
      }
      assertThat(cards.reserve("org-1", "pm_2", "c-4:over", MONDAY)).as("the place kept still counts").isFalse();

      // a card's document as an earlier version wrote it: keyed by its _id only
      stored.insertOne(new org.bson.Document("_id", new org.bson.Document("orgId", "org-1").append("card", "pm_old"))
          .append("places", java.util.List.of(new org.bson.Document("attemptId", "c-5:a").append("at", java.util.Date.from(MONDAY))))
          .append("revision", 3L));
      assertThat(cards.reserve("org-1", "pm_old", "c-6:a", MONDAY)).isTrue();
      cards.release("org-1", "pm_old", "c-5:a");
      cards.release("org-1", "pm_old", "c-6:a");
      assertThat(stored.find(new org.bson.Document("_id", new org.bson.Document("orgId", "org-1").append("card", "pm_old")))
          .first().getList("places", org.bson.Document.class)).as("every place given back").isEmpty();
    }
  }
}
