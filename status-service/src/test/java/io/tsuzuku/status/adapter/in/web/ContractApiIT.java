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

  /**
   * A browser keeps its connection open and sends its next request as soon as an answer arrives,
   * sometimes before the server has finished with the last one. Whichever thread answered a
   * request (a refusal on the event loop, a contract read from the store on another), the
   * connection goes on being read: the request after it is answered.
   */
  @Test
  void aKeptAliveConnectionAnswersEveryRequestWhateverThreadAnsweredTheOneBefore() throws Exception {
    var own = request("/api/orgs/org-1/contracts/" + contractId, token("org-1")).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    var foreign = request("/api/orgs/org-1/contracts/" + contractId, token("org-2")).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (var socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      var out = socket.getOutputStream();
      var in = new java.io.BufferedInputStream(socket.getInputStream());
      var anonymous = ("GET /api/orgs/org-1/contracts/" + contractId + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      for (int i = 0; i < 100; i++) {
        out.write(anonymous);
        out.flush();
        assertThat(statusOf(in)).as("round %d, without a token", i).isEqualTo(401);
        out.write(own);
        out.flush();
        assertThat(statusOf(in)).as("round %d, from the store", i).isEqualTo(200);
        out.write(foreign);
        out.flush();
        assertThat(statusOf(in)).as("round %d, another organisation's", i).isEqualTo(404);
      }
      out.write(own);
      out.flush();
      assertThat(statusOf(in)).as("the request after them").isEqualTo(200);
    }
  }

  private static String request(String path, String token) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n";
  }

  /** Reads one HTTP/1.1 response, its body included, and returns its status. */
  private static int statusOf(java.io.InputStream in) throws java.io.IOException {
    var head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      var b = in.read();
      if (b < 0) {
        throw new java.io.EOFException("the connection closed after: " + head);
      }
      head.append((char) b);
    }
    var lines = head.toString().split("\r\n");
    var headers = java.util.Arrays.stream(lines).skip(1).map(line -> line.toLowerCase(java.util.Locale.ROOT)).toList();
    var length = headers.stream().filter(h -> h.startsWith("content-length:")).map(h -> h.substring(15).trim()).findFirst();
    if (length.isPresent()) {
      in.readNBytes(Integer.parseInt(length.get()));
    } else if (headers.contains("transfer-encoding: chunked")) {
      for (int size; (size = Integer.parseInt(readLine(in), 16)) > 0; ) {
        in.readNBytes(size + 2);
      }
      readLine(in);
    }
    return Integer.parseInt(lines[0].split(" ")[1]);
  }

  private static String readLine(java.io.InputStream in) throws java.io.IOException {
    var line = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new java.io.EOFException();
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
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
