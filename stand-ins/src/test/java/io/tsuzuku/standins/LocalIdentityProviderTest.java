package io.tsuzuku.standins;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The stand-in identity provider issues what the services and the console expect of a real one. */
class LocalIdentityProviderTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final LocalIdentityProvider provider = LocalIdentityProvider.start(0, "demo", "admin@demo");

  @AfterAll
  static void stop() {
    provider.close();
  }

  @Test
  void theConsoleSignsInWithTheCodeFlowAndPkceAndGetsTheAdministratorsToken() throws Exception {
    var verifier = "a-verifier-of-at-least-forty-three-characters-0123456789";
    var challenge = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    var redirect = "http://127.0.0.1:8080/console/";
    provider.signInAs("org-7", "viewer@org-7", LocalTokens.READ, Duration.ofMinutes(5));

    var code = code(redirect, challenge);
    var wrong = exchange(code(redirect, challenge), redirect, "another-verifier-of-at-least-forty-three-characters-0123");
    assertThat(wrong.statusCode()).as("a code with another verifier").isEqualTo(400);
    var answer = exchange(code, redirect, verifier);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:8080");

    var token = verified(Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(answer.body()).results().findFirst()
        .orElseThrow().group(1));
    assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo(provider.issuer());
    assertThat(token.getJWTClaimsSet().getAudience()).containsExactly(LocalIdentityProvider.AUDIENCE);
    assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo("viewer@org-7");
    assertThat(token.getJWTClaimsSet().getStringClaim("org")).isEqualTo("org-7");
    assertThat(token.getJWTClaimsSet().getStringClaim("scope")).isEqualTo(LocalTokens.READ);
    var lifetime = token.getJWTClaimsSet().getExpirationTime().getTime() - token.getJWTClaimsSet().getIssueTime().getTime();
    assertThat(lifetime).isEqualTo(Duration.ofMinutes(5).toMillis());
  }

  @Test
  void curlGetsAnOperatorsOrAnAdministratorsTokenWithClientCredentials() throws Exception {
    provider.signInAs("demo", "admin@demo", LocalTokens.READ + " " + LocalTokens.WRITE, Duration.ofHours(1));
    var operator = verified(clientCredentials(LocalIdentityProvider.OPERATOR_CLIENT)).getJWTClaimsSet();
    assertThat(operator.getStringClaim("scope")).isEqualTo(LocalTokens.OPERATIONS);
    assertThat(operator.getClaim("org")).isNull();
    assertThat(operator.getAudience()).containsExactly(LocalIdentityProvider.AUDIENCE);

    var administrator = verified(clientCredentials("curl")).getJWTClaimsSet();
    assertThat(administrator.getStringClaim("org")).isEqualTo("demo");
    assertThat(administrator.getStringClaim("scope")).isEqualTo(LocalTokens.READ + " " + LocalTokens.WRITE);
    assertThat(administrator.getIssuer()).isEqualTo(provider.issuer());
  }

  @Test
  void theDeploymentsTokenCarriesTheSchemasScopeOnlyWithItsSecret() throws Exception {
    var deployment = verified(clientCredentials(LocalIdentityProvider.DEPLOYMENT_CLIENT, LocalIdentityProvider.DEPLOYMENT_SECRET))
        .getJWTClaimsSet();
    assertThat(deployment.getSubject()).isEqualTo(LocalIdentityProvider.DEPLOYMENT_CLIENT);
    assertThat(deployment.getStringClaim("scope")).isEqualTo(LocalIdentityProvider.SCHEMAS);
    assertThat(deployment.getClaim("org")).isNull();
    assertThat(deployment.getAudience()).containsExactly(LocalIdentityProvider.AUDIENCE);

    var guessed = verified(clientCredentials(LocalIdentityProvider.DEPLOYMENT_CLIENT, "deployment")).getJWTClaimsSet();
    assertThat(guessed.getStringClaim("scope")).isEmpty();
    assertThat(guessed.getClaim("org")).isNull();
  }

  @Test
  void testsIssueTokensOfTheSameIssuerAndKeys() throws Exception {
    var token = verified(provider.token("org-1")).getJWTClaimsSet();
    assertThat(token.getIssuer()).isEqualTo(provider.issuer());
    assertThat(token.getStringClaim("org")).isEqualTo("org-1");
    assertThat(token.getAudience()).containsExactly(LocalIdentityProvider.AUDIENCE);
    assertThat(verified(provider.operatorToken(Duration.ofMinutes(1))).getJWTClaimsSet().getStringClaim("scope"))
        .isEqualTo(LocalTokens.OPERATIONS);
  }

  /** The code the provider redirects the browser back with. */
  private static String code(String redirect, String challenge) throws Exception {
    var authorize = HTTP.send(HttpRequest.newBuilder(URI.create(provider.issuer() + "/authorize?response_type=code&client_id="
        + LocalIdentityProvider.CONSOLE_CLIENT + "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
        + "&scope=openid&state=s-1&code_challenge=" + challenge + "&code_challenge_method=S256")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(authorize.statusCode()).isEqualTo(302);
    var location = authorize.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(redirect).contains("state=s-1");
    return Pattern.compile("code=([^&]+)").matcher(location).results().findFirst().orElseThrow().group(1);
  }

  private static String clientCredentials(String client) throws Exception {
    return clientCredentials(client, "local");
  }

  private static String clientCredentials(String client, String secret) throws Exception {
    var answer = HTTP.send(HttpRequest.newBuilder(URI.create(provider.tokenEndpoint()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + client + "&client_secret=" + secret)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(answer.body()).results().findFirst().orElseThrow().group(1);
  }

  private static HttpResponse<String> exchange(String code, String redirect, String verifier) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(provider.tokenEndpoint()))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "http://127.0.0.1:8080")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + code + "&client_id="
            + LocalIdentityProvider.CONSOLE_CLIENT + "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
            + "&code_verifier=" + verifier)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The token, its signature checked with the provider's published keys. */
  private static SignedJWT verified(String serialized) throws Exception {
    var jwt = SignedJWT.parse(serialized);
    var jwks = HTTP.send(HttpRequest.newBuilder(URI.create(provider.issuer() + "/jwks")).build(), HttpResponse.BodyHandlers.ofString());
    var key = (RSAKey) JWKSet.parse(jwks.body()).getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
    return jwt;
  }
}
