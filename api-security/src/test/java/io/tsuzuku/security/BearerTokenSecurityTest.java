package io.tsuzuku.security;

import io.tsuzuku.standins.LocalTokens;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bearer-token rule against an identity provider's JWK set served by a stub, with a key pair
 * made here: what is accepted, what is refused, and that nothing starts without a way to verify.
 */
class BearerTokenSecurityTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static WireMockServer identityProvider;
  private static RSAKey key;
  private ConfigurableApplicationContext api;

  @BeforeAll
  static void anIdentityProviderAndAnApi() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("key-1").generate();
    identityProvider = new WireMockServer(options().dynamicPort());
    identityProvider.start();
    identityProvider.stubFor(get(urlEqualTo("/.well-known/jwks.json")).willReturn(aResponse()
        .withHeader("Content-Type", "application/json").withBody(new JWKSet(key.toPublicJWK()).toString())));
  }

  @AfterAll
  static void stop() {
    identityProvider.stop();
  }

  /** One API at a time: the contexts share Reactor Netty's global resources. */
  @BeforeEach
  void anApiTrustingTheIdentityProvider() {
    api = start("--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + identityProvider.baseUrl() + "/.well-known/jwks.json",
        "--tsuzuku.security.audience=tsuzuku-admin");
  }

  @AfterEach
  void stopTheApi() {
    api.close();
  }

  @Test
  void aTokenWithoutIssueTimeIsMeasuredFromTheClocksNow() {
    var now = Instant.parse("2026-12-06T00:00:00Z");
    var lifetime = BearerTokenSecurityAutoConfiguration.lifetimeAtMost(Duration.ofHours(1),
        java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
    java.util.function.Function<Instant, org.springframework.security.oauth2.jwt.Jwt> expiringAt = expires ->
        org.springframework.security.oauth2.jwt.Jwt.withTokenValue("t").header("alg", "RS256").subject("s").expiresAt(expires).build();

    assertThat(lifetime.validate(expiringAt.apply(now.plus(Duration.ofMinutes(50)))).hasErrors()).isFalse();
    assertThat(lifetime.validate(expiringAt.apply(now.plus(Duration.ofHours(3)))).hasErrors()).as("three hours from now").isTrue();
  }

  @Test
  void aTokenOfTheIdentityProviderWithTheReadScopeReadsButCannotAct() throws Exception {
    var readOnly = rs256(claims("contracts:read").build());

    assertThat(call("GET", readOnly).statusCode()).isEqualTo(200);
    var act = call("POST", readOnly);
    assertThat(act.statusCode()).isEqualTo(403);
    assertThat(act.body()).contains("\"code\":\"INSUFFICIENT_SCOPE\"");
    assertThat(call("POST", rs256(claims("contracts:read contracts:write").build())).statusCode()).isEqualTo(200);
  }

  @Test
  void aTokenWithoutExpiryAnotherAudienceOrSignedWithTheRepositorysKeyIsRefused() throws Exception {
    var noExpiry = rs256(new JWTClaimsSet.Builder(claims("contracts:read").build()).expirationTime(null).build());
    var otherAudience = rs256(new JWTClaimsSet.Builder(claims("contracts:read").build()).audience("another-api").build());
    var forged = LocalTokens.mint(LocalTokens.LOCAL_SECRET, "org-1", "attacker", Instant.now(), Duration.ofHours(1));

    assertThat(call("GET", noExpiry).statusCode()).isEqualTo(401);
    assertThat(call("GET", otherAudience).statusCode()).isEqualTo(401);
    assertThat(call("GET", forged).statusCode()).isEqualTo(401);
  }

  @Test
  void aTokenLivingLongerThanTheMaximumIsRefusedWithOrWithoutItsIssueTime() throws Exception {
    var now = Instant.now();
    var aDay = rs256(new JWTClaimsSet.Builder(claims("contracts:read").build())
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(24)))).build());
    var aDayWithoutIssueTime = rs256(new JWTClaimsSet.Builder(claims("contracts:read").build())
        .issueTime(null).expirationTime(Date.from(now.plus(Duration.ofHours(24)))).build());
    var anHourWithoutIssueTime = rs256(new JWTClaimsSet.Builder(claims("contracts:read").build()).issueTime(null).build());

    assertThat(call("GET", aDay).statusCode()).as("the default maximum is an hour").isEqualTo(401);
    assertThat(call("GET", aDayWithoutIssueTime).statusCode()).isEqualTo(401);
    assertThat(call("GET", anHourWithoutIssueTime).statusCode()).isEqualTo(200);
    api.close();
    try (var longer = start("--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + identityProvider.baseUrl() + "/.well-known/jwks.json",
        "--tsuzuku.security.audience=tsuzuku-admin", "--tsuzuku.security.max-token-lifetime=P1D")) {
      assertThat(call(longer, "GET", aDay).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theOperatorsEndpointsNeedTheOperationsScopeWhichNoOrganisationsTokenHas() throws Exception {
    var administrator = rs256(claims("contracts:read contracts:write").build());
    var operator = rs256(new JWTClaimsSet.Builder(claims("operations").build()).claim(OrganisationClaim.NAME, null).build());

    assertThat(path("/actuator/health", null).statusCode()).isEqualTo(200);
    assertThat(path("/actuator/whatever", null).statusCode()).isEqualTo(401);
    var refused = path("/actuator/whatever", administrator);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("\"code\":\"INSUFFICIENT_SCOPE\"");
    assertThat(path("/actuator/whatever", operator).statusCode()).as("let through to a handler").isEqualTo(404);
    assertThat(path("/somewhere-else", null).statusCode()).isEqualTo(401);
  }

  @Test
  void anIdentityProviderWithoutAnAudienceRefusesToStart() {
    api.close();
    assertThatThrownBy(() -> start("--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + identityProvider.baseUrl() + "/.well-known/jwks.json"))
        .hasStackTraceContaining("No audience for the identity provider's tokens");
  }

  @Test
  void aServiceWithNeitherAnIdentityProviderNorAKeyRefusesToStart() {
    api.close();
    assertThatThrownBy(BearerTokenSecurityTest::start)
        .hasStackTraceContaining("No way to verify bearer tokens");
  }

  @Test
  void aKeySetExplicitlyVerifiesTheLocalStacksTokens() throws Exception {
    api.close();
    try (var local = start("--tsuzuku.security.jwt-secret=" + LocalTokens.LOCAL_SECRET)) {
      var token = LocalTokens.mint(LocalTokens.LOCAL_SECRET, "org-1", "admin", Instant.now(), Duration.ofHours(1));
      assertThat(call(local, "GET", token).statusCode()).isEqualTo(200);
    }
  }

  /**
   * An admin console served from another origin calls the API from the browser: only the origins
   * configured may (CORS), with the token in the Authorization header; no other page may, and
   * without the setting none may.
   */
  @Test
  void onlyTheConsolesConfiguredMayCallTheApiFromAnotherOrigin() throws Exception {
    var console = "http://127.0.0.1:8080";
    assertThat(preflight(api, console).headers().firstValue("Access-Control-Allow-Origin")).as("none by default").isEmpty();
    api.close();
    try (var local = start("--tsuzuku.security.jwt-secret=" + LocalTokens.LOCAL_SECRET, "--tsuzuku.security.console-origins=http://127.0.0.1:*")) {
      var allowed = preflight(local, console);
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(console);
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("PUT");
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).as("no cookies").isEmpty();
      assertThat(preflight(local, "https://elsewhere.example").statusCode()).isEqualTo(403);

      var token = LocalTokens.mint(LocalTokens.LOCAL_SECRET, "org-1", "admin", Instant.now(), Duration.ofHours(1));
      var port = local.getEnvironment().getProperty("local.server.port");
      var read = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/orgs/org-1/things"))
          .header("Origin", console).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue(console);
      var anonymous = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/orgs/org-1/things"))
          .header("Origin", console).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).as("the token is still required").isEqualTo(401);
      assertThat(anonymous.headers().firstValue("Access-Control-Expose-Headers")).as("an expired token is told as such")
          .hasValueSatisfying(exposed -> assertThat(exposed).contains("WWW-Authenticate"));
    }
  }

  private static HttpResponse<String> preflight(ConfigurableApplicationContext context, String origin) throws Exception {
    var port = context.getEnvironment().getProperty("local.server.port");
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/orgs/org-1/things"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin).header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "authorization,content-type").build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JWTClaimsSet.Builder claims(String scope) {
    var now = Instant.now();
    return new JWTClaimsSet.Builder().subject("admin@org-1").claim(OrganisationClaim.NAME, "org-1").claim("scope", scope)
        .audience("tsuzuku-admin").issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(1))));
  }

  private static String rs256(JWTClaimsSet claims) throws Exception {
    var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private HttpResponse<String> path(String path, String token) throws Exception {
    var port = api.getEnvironment().getProperty("local.server.port");
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> call(String method, String token) throws Exception {
    return call(api, method, token);
  }

  private static HttpResponse<String> call(ConfigurableApplicationContext context, String method, String token) throws Exception {
    var port = context.getEnvironment().getProperty("local.server.port");
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/orgs/org-1/things"))
        .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody()).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static ConfigurableApplicationContext start(String... args) {
    var all = new java.util.ArrayList<>(java.util.List.of(args));
    all.add("--server.port=0");
    all.add("--spring.main.banner-mode=off");
    return new SpringApplicationBuilder(Api.class).web(WebApplicationType.REACTIVE).run(all.toArray(String[]::new));
  }

  /** An API of one organisation's things, as the services' APIs are. */
  @SpringBootApplication
  @RestController
  static class Api {
    @GetMapping("/api/orgs/{orgId}/things")
    String read(@PathVariable String orgId) {
      return "[]";
    }

    @PostMapping("/api/orgs/{orgId}/things")
    String act(@PathVariable String orgId) {
      return "{}";
    }

    @GetMapping("/actuator/health")
    String health() {
      return "{\"status\":\"UP\"}";
    }
  }
}
