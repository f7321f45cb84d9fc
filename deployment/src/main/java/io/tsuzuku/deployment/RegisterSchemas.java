package io.tsuzuku.deployment;

import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.apache.avro.specific.SpecificData;

/**
 * Registers every record type of the event contract with the schema registry, through its
 * Confluent-compatible API, each under its full record name (the subject the serdes use, {@link
 * AvroSerdes}). Run once at deploy time, before the services start (they do not register schemas
 * themselves), so that another team can read a type's schema before its first record; the local
 * stack runs it at its start. It stores the registry's global compatibility rule first, so the
 * registry refuses an incompatible version whoever registers it. A registry guarded as
 * docs/security.md describes accepts these writes from the deployment's client only.
 *
 * <pre>
 * java -cp deployment/target/deployment-0.1.0-SNAPSHOT.jar:… io.tsuzuku.deployment.RegisterSchemas http://registry:8080
 * </pre>
 */
public final class RegisterSchemas {

  /**
   * The registry's global compatibility rule, stored by the deployment before any schema: the
   * same as the build's gate (CompatibilityGateTest), so every team's registration is held to it.
   */
  public static final String COMPATIBILITY = "FULL_TRANSITIVE";

  private RegisterSchemas() {}

  /**
   * Stores the compatibility rule, then registers every record type, as the client {@code
   * credentials} name; returns how many. Registering the same schema again changes nothing.
   */
  public static int register(String registryUrl, RegistryCredentials credentials) {
    var authorization = credentials.authorization();
    var base = registryUrl.replaceAll("/+$", "").replaceAll("/apis/.*$", "") + "/apis/ccompat/v7/";
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    send(http, authorization, registryUrl, "the compatibility rule", HttpRequest.newBuilder(URI.create(base + "config"))
        .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + COMPATIBILITY + "\"}")));
    int registered = 0;
    for (var type : Topics.recordTypes()) {
      var schema = SpecificData.get().getSchema(type);
      var body = "{\"schema\":\"" + schema.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
      send(http, authorization, registryUrl, schema.getFullName(), HttpRequest.newBuilder(URI.create(base + "subjects/" + schema.getFullName() + "/versions"))
          .POST(HttpRequest.BodyPublishers.ofString(body)));
      registered++;
    }
    return registered;
  }

  private static void send(HttpClient http, Optional<String> authorization, String registryUrl, String what,
      HttpRequest.Builder request) {
    request.timeout(Duration.ofSeconds(30)).header("Content-Type", "application/vnd.schemaregistry.v1+json");
    authorization.ifPresent(value -> request.header("Authorization", value));
    try {
      var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("the registry refused " + what + ": " + response.statusCode() + " " + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("the registry at " + registryUrl + " did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted registering " + what, e);
    }
  }

  /**
   * Registers with the registry the first argument or {@code SCHEMA_REGISTRY_URL} names, as the
   * client {@link RegistryCredentials#fromEnvironment} names when the environment names a token
   * endpoint.
   */
  public static void main(String[] args) {
    var environment = System.getenv();
    var url = args.length > 0 ? args[0] : environment.getOrDefault("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081");
    var credentials = RegistryCredentials.fromEnvironment(environment);
    System.out.println("registered " + register(url, credentials) + " record types with " + url + " as " + credentials);
  }
}
