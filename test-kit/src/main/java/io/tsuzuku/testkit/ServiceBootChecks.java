package io.tsuzuku.testkit;

import com.mongodb.client.MongoClient;
import io.tsuzuku.infra.embedded.Endpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.bson.Document;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.core.ProducerFactory;

/**
 * What every tsuzuku service must show once booted against {@link WithEmbeddedInfrastructure}: its
 * health endpoint answers UP, with its components listed to an operator, its readiness includes the broker and its
 * store, its Kafka producers point at the embedded broker with the registry's Avro serializer, and
 * its MongoDB client reaches the wire server with the service's own database.
 */
public final class ServiceBootChecks {

  private static final String AVRO_SERIALIZER = "io.apicurio.registry.serde.avro.AvroKafkaSerializer";

  private ServiceBootChecks() {}

  /** @param operatorToken a token with the {@code operations} scope, to which health lists its components */
  public static void assertBootedAgainstEmbeddedInfrastructure(
      ApplicationContext context, String expectedDatabase, String operatorToken) {
    var port = context.getEnvironment().getRequiredProperty("local.server.port");
    var health = get(port, "/actuator/health", operatorToken);
    check(health.statusCode() == 200 && health.body().startsWith("{\"components\":") && health.body().endsWith("\"status\":\"UP\"}"),
        "GET /actuator/health answered " + health.statusCode() + " " + health.body());
    var readiness = get(port, "/actuator/health/readiness", operatorToken);
    check(readiness.statusCode() == 200 && readiness.body().contains("\"broker\":{") && readiness.body().contains("\"store\":{")
            && readiness.body().endsWith("\"status\":\"UP\"}"),
        "GET /actuator/health/readiness answered " + readiness.statusCode() + " " + readiness.body());

    var producer = context.getBean(ProducerFactory.class).getConfigurationProperties();
    check(
        List.of(System.getProperty(Endpoints.KAFKA_BOOTSTRAP_SERVERS))
            .equals(asList(producer.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG))),
        "producers use the embedded broker, but were " + producer.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
    var principal = context.getEnvironment().getProperty("spring.application.name");
    check("SASL_SSL".equals(String.valueOf(producer.get("security.protocol")))
            && String.valueOf(producer.get("sasl.jaas.config")).contains("username=\"" + principal + "\""),
        "producers connect over SASL_SSL as the principal " + principal + ", but used " + producer.get("security.protocol"));
    check(
        AVRO_SERIALIZER.equals(String.valueOf(producer.get(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG))),
        "producers serialise values with the registry's Avro serializer, but used "
            + producer.get(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG));

    var database = context.getEnvironment().getProperty("spring.mongodb.database");
    check(expectedDatabase.equals(database), "the service's database is " + database);
    var ping = context.getBean(MongoClient.class).getDatabase(database).runCommand(new Document("ping", 1));
    check(ping.get("ok") instanceof Number ok && ok.doubleValue() == 1.0, "MongoDB ping answered " + ping.toJson());
  }

  private static HttpResponse<String> get(String port, String path, String token) {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + token).build();
    try {
      return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new AssertionError("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static List<?> asList(Object value) {
    return value instanceof List<?> list ? list : List.of(String.valueOf(value));
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
