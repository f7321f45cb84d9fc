package io.tsuzuku.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.kit.outbox.MongoOutbox;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.standins.LocalTokens;
import io.tsuzuku.status.adapter.out.mongo.MongoContractHistory;
import io.tsuzuku.status.adapter.out.mongo.MongoContractOutbox;
import io.tsuzuku.status.adapter.out.mongo.MongoContractStore;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.status.domain.Supporter;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A message in a contract's outbox that no retry can publish (here: a payload that does not
 * decode) is parked with its reason and listed for operators; the relay publishes what follows.
 */
@WithEmbeddedInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S")
class ParkedMessageIT {

  @Autowired ContractEvents contracts;
  @Autowired MongoContractStore store;
  @Autowired MongoContractOutbox outbox;
  @Autowired MongoContractHistory history;
  @Autowired MongoClient client;
  @Value("${spring.mongodb.database}") String database;
  @Autowired WebTestClient web;

  @Test
  void anUndecodableMessageIsParkedAndListedAndTheRelayGoesOn() {
    var contractId = "c-" + UUID.randomUUID();
    contracts.register(Contract.register(contractId, "org-1", Cohort.CURRENT, new Supporter("s", "n", "e@example.org"), 3000,
        Instant.now()), "r-" + contractId);
    await().until(() -> outbox.withPendingWork().stream().noneMatch(p -> p.contract().contractId().equals(contractId)));

    var poison = new OutboxMessage("poison-" + contractId, contractId, "io.tsuzuku.events.ContractStatusChanged", new byte[] {7, 7, 7});
    client.getDatabase(database).getCollection("contracts")
        .updateOne(Filters.eq("_id", contractId), Updates.combine(MongoOutbox.append(java.util.List.of(poison))));
    contracts.apply(contractId, new ContractEvent.CancellationRequested("x-" + contractId, Instant.now(),
        Actor.administrator("admin@org-1"), "moved away"));

    await().until(() -> outbox.withPendingWork().stream().noneMatch(p -> p.contract().contractId().equals(contractId)));
    assertThat(store.load(contractId).orElseThrow().contract().status()).isEqualTo(Status.CANCELLED);
    assertThat(history.historyOf(contractId)).extracting(h -> h.trigger()).contains("CANCELLED_BY_ADMINISTRATOR");
    web.get().uri("/actuator/parkedmessages")
        .headers(h -> h.setBearerAuth(LocalTokens.mintOperator(LocalTokens.LOCAL_SECRET, "operator", Instant.now(), Duration.ofMinutes(5))))
        .exchange()
        .expectStatus().isOk()
        .expectBody()
        .jsonPath("$[?(@.id == '" + poison.id() + "')].reason").value(reasons ->
            assertThat(reasons.toString()).contains("undecodable io.tsuzuku.events.ContractStatusChanged"));
  }
}
