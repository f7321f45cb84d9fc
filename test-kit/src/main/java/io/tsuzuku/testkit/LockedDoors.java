package io.tsuzuku.testkit;

import io.tsuzuku.standins.LocalSealingKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.standins.LocalTokens;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a service started alone from its own jar lets in (docs/security.md, "Every port"): without a
 * token, only health answers, and it names no component; an organisation's token opens no operator
 * endpoint and no other organisation's data; an operator's token (scope {@code operations}) opens
 * the operator endpoints the service exposes and health's components.
 */
public final class LockedDoors {

  /** The machine's time: the service's own process checks the tokens' lifetime against it. */
  private static final Clock MACHINE = Clock.systemUTC();

  /** Every actuator endpoint Spring Boot or the service kit may expose: all are for operators only. */
  public static final List<String> OPERATOR_PATHS = List.of("/actuator", "/actuator/info", "/actuator/prometheus",
      "/actuator/metrics", "/actuator/parkedmessages", "/actuator/parkedrecords", "/actuator/stuckcharges", "/actuator/env",
      "/actuator/beans", "/actuator/configprops", "/actuator/loggers", "/actuator/threaddump", "/actuator/heapdump",
      "/actuator/mappings", "/actuator/scheduledtasks", "/actuator/shutdown");

  private static final List<String> HEALTH = List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private LockedDoors() {}

  /**
   * Starts {@code module}'s executable jar alone (its own classpath, its own configuration, the
   * tests' token key and audience, listeners not started and a database of its own, so that it
   * touches no other test's records; its store's connection string given as a file, as compose
   * gives it), then {@linkplain #assertOnlyHealthIsOpen probes its doors}.
   *
   * @param apiDescription the file name of the service's OpenAPI description under {@code
   *     docs/openapi}, or null for a service without an API
   * @param settings the settings the service needs to start besides the servers' addresses
   * @param secrets settings given as files, as compose gives them (a directory imported as a
   *     {@code configtree}, a file a setting named as the file)
   * @param exposed the operator endpoints it exposes
   */
  public static void assertJarLetsNoStrangerIn(String module, Endpoints endpoints, String apiDescription, List<String> settings,
      java.util.Map<String, String> secrets, List<String> exposed) throws IOException {
    var secretFiles = Files.createTempDirectory(module + "-secrets");
    // the store's connection string as compose gives it, a file; the environment's names a closed
    // port, so the service reaches its store through the file or not at all
    var files = new java.util.LinkedHashMap<>(secrets);
    files.put("spring.mongodb.uri", endpoints.mongoUri());
    for (var secret : files.entrySet()) {
      Files.writeString(secretFiles.resolve(secret.getKey()), secret.getValue());
    }
    var arguments = new ArrayList<>(List.of("--tsuzuku.security.jwt-secret=" + LocalTokens.LOCAL_SECRET,
        "--tsuzuku.billing.payment-method-keys=" + LocalSealingKeys.BILLING,
        "--tsuzuku.billing.repayment-link-keys=" + LocalSealingKeys.REPAYMENT_LINK_PUBLIC, "--tsuzuku.status.supporter-keys=" + LocalSealingKeys.STATUS,
        "--tsuzuku.status.repayment-link-key=" + LocalSealingKeys.REPAYMENT_LINK,
        "--tsuzuku.security.audience=" + LocalTokens.AUDIENCE, "--spring.kafka.listener.auto-startup=false",
        "--spring.mongodb.database=" + module + "-alone"));
    arguments.add("--spring.config.import=optional:configtree:" + secretFiles + "/");
    arguments.addAll(settings);
    var storeOnlyFromTheFile = new Endpoints(endpoints.kafkaBootstrapServers(), endpoints.kafkaCredentials(), endpoints.schemaRegistryUrl(), "mongodb://127.0.0.1:9");
    try (var service = ServiceProcess.start(module, "256m", storeOnlyFromTheFile, arguments)) {
      var now = MACHINE.instant();
      var apiPaths = apiDescription == null ? List.of("/api/orgs/org-1/contracts") : apiPaths(apiDescription, "org-1");
      var sent = assertOnlyHealthIsOpen(URI.create("http://127.0.0.1:" + service.port()), apiPaths,
          LocalTokens.mint(LocalTokens.LOCAL_SECRET, "org-2", "admin@org-2", now, Duration.ofMinutes(10)),
          LocalTokens.mintOperator(LocalTokens.LOCAL_SECRET, "operator", now, Duration.ofMinutes(10)), exposed);
      System.out.println(module + " alone: " + sent + " requests, only health open");
    }
  }

  /**
   * Probes {@code base}: every operator path and every API path (with {@code organisation}'s ids in
   * them) without a token and with a token of another organisation, then the operator paths with an
   * operator's token.
   *
   * @param apiPaths the API's paths, for example from {@link #apiPaths}
   * @param anotherOrganisationsToken a token with both administrator scopes of an organisation other than {@code organisation}
   * @param exposed the operator endpoints the service exposes, which answer the operator
   * @return how many requests were sent
   */
  public static int assertOnlyHealthIsOpen(URI base, List<String> apiPaths, String anotherOrganisationsToken, String operatorToken,
      List<String> exposed) {
    int sent = 0;
    for (var path : HEALTH) {
      var answer = send(base, "GET", path, null);
      check(answer.statusCode() == 200 && !answer.body().contains("components"), "GET " + path + " without a token answered "
          + answer.statusCode() + " " + answer.body() + " (the state alone was expected)");
      sent++;
    }
    var operator = send(base, "GET", "/actuator/health", operatorToken);
    check(operator.statusCode() == 200 && operator.body().contains("\"components\""),
        "GET /actuator/health with an operator's token answered " + operator.statusCode() + " " + operator.body());
    sent++;
    var doors = new ArrayList<String[]>();
    OPERATOR_PATHS.forEach(path -> doors.add(new String[] {"GET", path}));
    doors.add(new String[] {"POST", "/actuator/shutdown"});
    doors.add(new String[] {"POST", "/actuator/loggers/ROOT"});
    for (var path : apiPaths) {
      for (var method : List.of("GET", "POST", "PUT", "DELETE")) {
        doors.add(new String[] {method, path});
      }
    }
    for (var door : doors) {
      var anonymous = send(base, door[0], door[1], null);
      check(anonymous.statusCode() == 401, door[0] + " " + door[1] + " without a token answered " + anonymous.statusCode());
      var stranger = send(base, door[0], door[1], anotherOrganisationsToken);
      check(stranger.statusCode() >= 400 && stranger.statusCode() < 500 && stranger.statusCode() != 401,
          door[0] + " " + door[1] + " with another organisation's token answered " + stranger.statusCode() + " " + stranger.body());
      if (door[1].startsWith("/actuator")) {
        check(stranger.statusCode() == 403, door[0] + " " + door[1] + " with an organisation's token answered " + stranger.statusCode());
      }
      sent += 2;
    }
    for (var path : exposed) {
      var answer = send(base, "GET", path, operatorToken);
      check(answer.statusCode() == 200, "GET " + path + " with an operator's token answered " + answer.statusCode() + " " + answer.body());
      sent++;
    }
    return sent;
  }

  /**
   * The paths of an API's committed OpenAPI description ({@code docs/openapi/<fileName>}), with
   * {@code organisation} for {@code {orgId}} and a made-up value for every other parameter.
   */
  public static List<String> apiPaths(String fileName, String organisation) throws IOException {
    var file = Files.isDirectory(Path.of("docs")) ? Path.of("docs", "openapi", fileName) : Path.of("..", "docs", "openapi", fileName);
    var paths = new ArrayList<String>();
    JsonMapper.builder().build().readTree(Files.readString(file)).path("paths").propertyNames()
        .forEach(path -> paths.add(path.replace("{orgId}", organisation).replaceAll("\\{[^}]+}", "x-1")));
    return paths;
  }

  private static HttpResponse<String> send(URI base, String method, String path, String token) {
    var request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"))
        .header("Content-Type", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
