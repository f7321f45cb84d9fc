package io.tsuzuku.status.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClients;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.status.application.port.SupporterCards.Given;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A supporter's card given later stays, whichever update arrives first; supporters and organisations are apart. */
@WithEmbeddedInfrastructure
class MongoSupporterCardsIT {

  private static final Instant T0 = Instant.parse("2027-03-01T00:00:00Z");

  @Test
  void theCardGivenLastIsKeptWhicheverArrivesFirst(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var cards = new MongoSupporterCards(client.getDatabase("supporter-cards-it-" + UUID.randomUUID()));

      cards.keep(new Given("org-1", "s-1", "update-2", "c-2", "sealed.2", T0.plusSeconds(60)));
      cards.keep(new Given("org-1", "s-1", "update-1", "c-1", "sealed.1", T0));
      cards.keep(new Given("org-1", "s-1", "update-2", "c-2", "sealed.2", T0.plusSeconds(60)));
      cards.keep(new Given("org-2", "s-1", "update-3", "c-3", "sealed.3", T0));
      cards.keep(new Given("org-1", "s-2", "update-4", "c-4", "sealed.4", T0.plusSeconds(120)));
      cards.keep(new Given("org-1", "s-2", "update-5", "c-5", "sealed.5", T0.plusSeconds(180)));

      var latest = cards.latest("org-1", List.of("s-1", "s-2", "s-3"));

      assertThat(latest).containsOnlyKeys("s-1", "s-2");
      assertThat(latest.get("s-1")).isEqualTo(new Given("org-1", "s-1", "update-2", "c-2", "sealed.2", T0.plusSeconds(60)));
      assertThat(latest.get("s-2").updateId()).isEqualTo("update-5");
      assertThat(cards.latest("org-2", List.of("s-1")).get("s-1").updateId()).isEqualTo("update-3");
    }
  }
}
