package io.tsuzuku.status.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.standins.LocalTokens;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Supporter;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

@WithEmbeddedInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S") // a cold context on a busy 2-core CI machine can be slow to answer first
class ContractApiIT {

  @Autowired WebTestClient web;
  @Autowired ContractEvents contracts;

  private String contractId;

  @BeforeEach
  void registerAContractOfOrg1() {
    contractId = "c-" + UUID.randomUUID();
    contracts.register(
        Contract.register(contractId, "org-1", Cohort.CURRENT, new Supporter("s-1", "山田 花子", "hanako@example.org"), 3000, Instant.parse("2026-10-01T00:00:00Z")),
        "registered-" + contractId);
  }

  @Test
  void anAdministratorSeesTheirContractWithItsLabelAndHistory() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        get("/api/orgs/org-1/contracts/" + contractId, token("org-1"))
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.contractId").isEqualTo(contractId)
            .jsonPath("$.status").isEqualTo("ACTIVE")
            .jsonPath("$.statusLabel").isEqualTo("継続中")
            .jsonPath("$.supporter.email").isEqualTo("hanako@example.org")
            .jsonPath("$.history[0].event").isEqualTo("REGISTERED"));
  }

  @Test
  void anotherOrganisationsTokenGetsTheSameAnswerAsAnUnknownContract() {
    var foreign =
        get("/api/orgs/org-1/contracts/" + contractId, token("org-2"))
            .expectStatus().isNotFound().expectBody(String.class).returnResult().getResponseBody();
    var unknown =
        get("/api/orgs/org-1/contracts/c-does-not-exist", token("org-1"))
            .expectStatus().isNotFound().expectBody(String.class).returnResult().getResponseBody();
    var pathOfTheOther =
        get("/api/orgs/org-2/contracts/" + contractId, token("org-2"))
            .expectStatus().isNotFound().expectBody(String.class).returnResult().getResponseBody();

    assertThat(withoutInstance(foreign))
        .isEqualTo(withoutInstance(unknown))
        .isEqualTo(withoutInstance(pathOfTheOther))
        .contains("\"code\":\"CONTRACT_NOT_FOUND\"");
  }

  @Test
  void aRequestWithoutAValidTokenIsUnauthorisedWithAProblem() {
    web.get().uri("/api/orgs/org-1/contracts/" + contractId).exchange()
        .expectStatus().isUnauthorized()
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED");
    var forged = LocalTokens.mint("another-key-of-at-least-thirty-two-bytes!!", "org-1", "mallory", Instant.now(), Duration.ofHours(1));
    get("/api/orgs/org-1/contracts/" + contractId, forged).expectStatus().isUnauthorized();
  }

  @Test
  void aReadOnlyTokenReadsButCannotCancelInBulk() {
    var readOnly = LocalTokens.mint(LocalTokens.LOCAL_SECRET, "org-1", "viewer@org-1", Instant.now(), Duration.ofHours(1),
        "contracts:read");

    get("/api/orgs/org-1/contracts/" + contractId, readOnly).expectStatus().isOk();
    web.post().uri("/api/orgs/org-1/cancellations").headers(h -> h.setBearerAuth(readOnly))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"contractIds\":[\"" + contractId + "\"],\"reason\":\"test\"}").exchange()
        .expectStatus().isForbidden()
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.code").isEqualTo("INSUFFICIENT_SCOPE");
    get("/api/orgs/org-1/contracts/" + contractId, token("org-1"))
        .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("ACTIVE");
  }

  @Test
  void anIdShapedLikeAnOperatorIsABadRequest() {
    get("/api/orgs/org-1/contracts/$ne", token("org-1"))
        .expectStatus().isEqualTo(HttpStatus.BAD_REQUEST)
        .expectBody().jsonPath("$.code").isEqualTo("INVALID_ID");
    web.get().uri(java.net.URI.create(baseUrl() + "/api/orgs/org-1/contracts/%7B%22%24ne%22:null%7D"))
        .headers(h -> h.setBearerAuth(token("org-1"))).exchange()
        .expectStatus().isEqualTo(HttpStatus.BAD_REQUEST)
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.code").isEqualTo("INVALID_ID");
    // an encoded percent sign is stopped by the firewall before any controller: a problem too
    web.get().uri(java.net.URI.create(baseUrl() + "/api/orgs/org-1/contracts/%257B"))
        .headers(h -> h.setBearerAuth(token("org-1"))).exchange()
        .expectStatus().isEqualTo(HttpStatus.BAD_REQUEST)
        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.code").isEqualTo("MALFORMED_REQUEST");
  }

  @org.springframework.boot.test.web.server.LocalServerPort int port;

  private String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The problem's {@code instance} is the requested path, which differs by design. */
  private static String withoutInstance(String problem) {
    return problem.replaceAll("\"instance\":\"[^\"]*\",?", "");
  }

  private WebTestClient.ResponseSpec get(String path, String token) {
    return web.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange();
  }

  private static String token(String org) {
    return LocalTokens.mint(LocalTokens.LOCAL_SECRET, org, "admin@" + org, Instant.now(), Duration.ofHours(1));
  }
}
