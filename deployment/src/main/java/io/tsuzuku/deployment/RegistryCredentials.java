package io.tsuzuku.deployment;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The deployment's identity at the schema registry: an OAuth 2.0 confidential client of the
 * identity provider whose token carries the registry writers' scope (docs/security.md, "The
 * schema registry"). The deployment asks for a token with the client credentials grant (RFC 6749 §4.4),
 * authenticating with HTTP Basic, and sends it as a bearer token. {@link #none()} writes to an
 * open registry, one on this machine only.
 */
public record RegistryCredentials(String tokenEndpoint, String clientId, String clientSecret) {

  /** The token endpoint; without it the registry is taken to be open (a registry on this machine only). */
  public static final String TOKEN_ENDPOINT = "SCHEMA_REGISTRY_TOKEN_ENDPOINT";

  /** The client id; {@value #DEFAULT_CLIENT_ID} unless set. */
  public static final String CLIENT_ID = "SCHEMA_REGISTRY_CLIENT_ID";

  /** A file holding the client secret (a container secret), never the secret itself in the environment. */
  public static final String CLIENT_SECRET_FILE = "SCHEMA_REGISTRY_CLIENT_SECRET_FILE";

  static final String DEFAULT_CLIENT_ID = "deployment";

  private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

  private static final RegistryCredentials NONE = new RegistryCredentials(null, null, null);

  /** No credentials: for a registry that anyone may write to. */
  public static RegistryCredentials none() {
    return NONE;
  }

  @Override
  public String toString() {
    return tokenEndpoint == null ? "no credentials" : "client " + clientId + " of " + tokenEndpoint;
  }

  /** The credentials the environment names; {@link #none()} if it names no token endpoint. */
  public static RegistryCredentials fromEnvironment(Map<String, String> environment) {
    var endpoint = environment.get(TOKEN_ENDPOINT);
    if (endpoint == null || endpoint.isBlank()) {
      return NONE;
    }
    var secretFile = environment.get(CLIENT_SECRET_FILE);
    if (secretFile == null || secretFile.isBlank()) {
      throw new IllegalStateException(TOKEN_ENDPOINT + " is set but " + CLIENT_SECRET_FILE + " is not: the deployment needs its client secret");
    }
    try {
      return new RegistryCredentials(endpoint.trim(), environment.getOrDefault(CLIENT_ID, DEFAULT_CLIENT_ID),
          Files.readString(Path.of(secretFile)).strip());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the deployment's client secret from " + secretFile, e);
    }
  }

  /** The Authorization header's value: a fresh access token from the identity provider; empty for {@link #none()}. */
  public Optional<String> authorization() {
    return tokenEndpoint == null ? Optional.empty() : Optional.of("Bearer " + accessToken());
  }

  /** A fresh access token from the identity provider. */
  public String accessToken() {
    var basic = Base64.getEncoder().encodeToString(
        (form(clientId) + ":" + form(clientSecret)).getBytes(StandardCharsets.UTF_8));
    var request = HttpRequest.newBuilder(URI.create(tokenEndpoint))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Basic " + basic)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
        .build();
    try {
      var response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(request, HttpResponse.BodyHandlers.ofString());
      var token = ACCESS_TOKEN.matcher(response.body());
      if (response.statusCode() != 200 || !token.find()) {
        throw new IllegalStateException("the identity provider at " + tokenEndpoint + " refused client " + clientId + ": "
            + response.statusCode() + " " + response.body());
      }
      return token.group(1);
    } catch (IOException e) {
      throw new IllegalStateException("the identity provider at " + tokenEndpoint + " did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted asking " + tokenEndpoint + " for a token", e);
    }
  }

  /** RFC 6749 §2.3.1: the id and secret are form-encoded before Basic encoding. */
  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
