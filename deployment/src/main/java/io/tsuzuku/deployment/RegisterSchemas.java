package io.tsuzuku.deployment;

import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.avro.specific.SpecificData;

/**
 * Registers every record type of the event contract with the schema registry, through its
 * Confluent-compatible API, each under its full record name (the subject the serdes use, {@link
 * AvroSerdes}). Run once at deploy time, before the services start (they do not register schemas
 * themselves), so that another team can read a type's schema before its first record; the local
 * stack runs it at its start. The registry's compatibility rule refuses an incompatible version.
 *
 * <pre>
 * java -cp deployment/target/deployment-0.1.0-SNAPSHOT.jar:… io.tsuzuku.deployment.RegisterSchemas http://registry:8080
 * </pre>
 */
public final class RegisterSchemas {

  private RegisterSchemas() {}

  /** Registers every record type; returns how many. Registering the same schema again changes nothing. */
  public static int register(String registryUrl) {
    var base = registryUrl.replaceAll("/+$", "").replaceAll("/apis/.*$", "") + "/apis/ccompat/v7/subjects/";
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    int registered = 0;
    for (var type : Topics.recordTypes()) {
      var schema = SpecificData.get().getSchema(type);
      var body = "{\"schema\":\"" + schema.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
      var request = HttpRequest.newBuilder(URI.create(base + schema.getFullName() + "/versions"))
          .timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/vnd.schemaregistry.v1+json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      try {
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException("the registry refused " + schema.getFullName() + ": " + response.statusCode() + " "
              + response.body());
        }
      } catch (IOException e) {
        throw new IllegalStateException("the registry at " + registryUrl + " did not answer", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted registering " + schema.getFullName(), e);
      }
      registered++;
    }
    return registered;
  }

  public static void main(String[] args) {
    var url = args.length > 0 ? args[0] : System.getenv().getOrDefault("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081");
    System.out.println("registered " + register(url) + " record types with " + url);
  }
}
