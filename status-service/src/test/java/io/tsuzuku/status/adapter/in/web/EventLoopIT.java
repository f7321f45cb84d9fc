package io.tsuzuku.status.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.standins.LocalTokens;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Supporter;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The admin API never blocks an event-loop thread: BlockHound turns any blocking call there (the
 * MongoDB driver's socket reads, above all) into an error, which the API would answer with a 500.
 */
@WithEmbeddedInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S") // a cold context on a busy 2-core CI machine can be slow to answer first
class EventLoopIT {

  @Autowired WebTestClient web;
  @Autowired ContractEvents contracts;

  @BeforeAll
  static void catchBlockingCallsOnNonBlockingThreads() {
    BlockHound.install();
  }

  @Test
  void blockHoundIsWatching() throws Exception {
    var file = java.nio.file.Files.createTempFile("blockhound", ".txt");
    java.nio.file.Files.writeString(file, "x");
    var blocked =
        Mono.fromCallable(() -> {
              try (var in = new java.io.FileInputStream(file.toFile())) {
                return in.read(); // file I/O: a blocking call
              }
            })
            .subscribeOn(Schedulers.parallel());

    assertThat(org.assertj.core.api.Assertions.catchThrowable(blocked::block))
        .hasMessageContaining("Blocking call");
  }

  @Test
  void readingListingAndActingDoNotBlockTheEventLoop() {
    var org = "org-" + UUID.randomUUID();
    var id = "c-" + UUID.randomUUID();
    contracts.register(
        Contract.register(id, org, Cohort.CURRENT, new Supporter("s", "n", "e@example.org"), 3000, Instant.now()), "r-" + id);
    var token = LocalTokens.mint(LocalTokens.LOCAL_SECRET, org, "admin", Instant.now(), Duration.ofHours(1));

    web.get().uri("/api/orgs/" + org + "/contracts/" + id).headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();
    web.get().uri("/api/orgs/" + org + "/contracts?status=ACTIVE").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();
    web.get().uri("/api/orgs/" + org + "/contracts/export.csv").headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk();
    web.post().uri("/api/orgs/" + org + "/cancellations").headers(h -> h.setBearerAuth(token))
        .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"contractIds\":[\"" + id + "\"],\"reason\":\"test\"}")
        .exchange().expectStatus().isOk();
  }
}
