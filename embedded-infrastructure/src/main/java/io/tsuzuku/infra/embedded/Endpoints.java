package io.tsuzuku.infra.embedded;

import io.tsuzuku.schemas.KafkaAccess;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the three servers listen, and where Kafka's credentials are ({@link KafkaAccess}: null
 * for a broker without authentication). The names of the environment variables are the ones every
 * service reads, so the same values reach a test, the local stack and a deployment.
 */
public record Endpoints(String kafkaBootstrapServers, String kafkaCredentials, String schemaRegistryUrl, String mongoUri) {

  public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
  public static final String KAFKA_CREDENTIALS_DIR = KafkaAccess.CREDENTIALS_DIR;
  public static final String SCHEMA_REGISTRY_URL = "SCHEMA_REGISTRY_URL";
  public static final String MONGODB_URI = "MONGODB_URI";

  /** The values by environment variable name, as the services read them. */
  public Map<String, String> asEnvironment() {
    var environment = new LinkedHashMap<String, String>();
    environment.put(KAFKA_BOOTSTRAP_SERVERS, kafkaBootstrapServers);
    if (kafkaCredentials != null) {
      environment.put(KAFKA_CREDENTIALS_DIR, kafkaCredentials);
    }
    environment.put(SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    environment.put(MONGODB_URI, mongoUri);
    return environment;
  }

  /** A Kafka client's settings as {@code principal}, beyond its serdes ({@link KafkaAccess#client}). */
  public Map<String, Object> kafkaClient(String principal) {
    return KafkaAccess.client(asEnvironment()::get, principal);
  }

  /** The registry's Confluent-compatible API, for teams on Confluent's own clients. */
  public String confluentCompatibleRegistryUrl() {
    return schemaRegistryUrl + "/apis/ccompat/v7";
  }
}
