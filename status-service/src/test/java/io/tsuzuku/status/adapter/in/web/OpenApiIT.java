package io.tsuzuku.status.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsuzuku.testkit.OpenApiDescription;
import io.tsuzuku.testkit.OpenApiFuzzer;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.standins.LocalTokens;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Supporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The admin API's OpenAPI 3.1 description, generated from the code, served and kept in docs/; and
 * a fuzz test that walks every operation of it with hostile input: no 5xx, and nothing changes.
 */
@WithEmbeddedInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Autowired ContractEvents contracts;
  @LocalServerPort int port;

  @Test
  void everyOperationRefusesHostileInputWithA4xxAndChangesNothing() throws Exception {
    var org = "org-" + UUID.randomUUID().toString().substring(0, 8);
    var other = "org-other-" + UUID.randomUUID().toString().substring(0, 8);
    register(org + "-1", org);
    register(other + "-1", other);
    var token = LocalTokens.mint(LocalTokens.LOCAL_SECRET, org, "admin@" + org, Instant.now(), Duration.ofHours(1));
    var otherToken = LocalTokens.mint(LocalTokens.LOCAL_SECRET, other, "a", Instant.now(), Duration.ofHours(1));
    // the relay writes a registration's history line after the registration: the snapshot waits for it
    await().until(() -> snapshot(org, token).contains("REGISTERED") && snapshot(other, otherToken).contains("REGISTERED"));
    var before = snapshot(org, token) + snapshot(other, otherToken);

    var description = get("/v3/api-docs", null);
    OpenApiDescription.assertUpToDate("status-service.json", description);
    assertThat(description).contains("\"openapi\":\"3.1");
    var report = new OpenApiFuzzer(baseUrl(), token).run(description,
        Map.of("orgId", org, "contractId", org + "-1"), Map.of("orgId", other, "contractId", other + "-1"));

    System.out.printf("openapi fuzz of the admin API: %d requests, %d answered 5xx%n", report.requests(), report.serverErrors().size());
    report.slow().forEach(line -> System.out.println("  slow: " + line));
    assertThat(report.serverErrors()).isEmpty();
    assertThat(report.requests()).isGreaterThan(500);
    var after = snapshot(org, token) + snapshot(other, otherToken);
    assertThat(after).isEqualTo(before);
  }

  private String snapshot(String org, String token) throws Exception {
    return get("/api/orgs/" + org + "/contracts?limit=200", token) + get("/api/orgs/" + org + "/contracts/" + org + "-1", token);
  }

  private void register(String contractId, String org) {
    contracts.register(Contract.register(contractId, org, Cohort.CURRENT, new Supporter("s", "山田 花子", "hanako@example.org"), 3000,
        Instant.parse("2026-10-01T00:00:00Z")), "registered-" + contractId);
  }

  private String get(String path, String token) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(baseUrl() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + port;
  }
}
