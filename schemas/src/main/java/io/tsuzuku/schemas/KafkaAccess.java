package io.tsuzuku.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How every client connects to tsuzuku's Kafka: SASL/SCRAM-SHA-512 over TLS, as one principal
 * (docs/security.md, "The bus"). Each service is a principal of its own name, each outside team
 * too ({@link #principals()}); the {@link #DEPLOYMENT} principal declares the topics and their
 * ACLs, and operators replay dead letters with it.
 *
 * <p>A client reads its password from a file named after its principal in the directory {@value
 * #CREDENTIALS_DIR} names (compose mounts each service's own file only; the embedded broker writes
 * one per principal). A {@value #TRUSTSTORE} in that directory, PEM certificates, is the
 * authority the broker's certificate is checked against (the embedded broker's self-signed one);
 * without it, the JVM's own authorities are.
 */
public final class KafkaAccess {

  /** The environment variable naming the directory of credential files. */
  public static final String CREDENTIALS_DIR = "KAFKA_CREDENTIALS_DIR";

  /** The authorities' certificates (PEM) in the credentials directory, if the broker's are not public. */
  public static final String TRUSTSTORE = "truststore.pem";

  /** The mechanism every client and the brokers' client listener use. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  /** The principal of the deployment (topics, ACLs) and of operators' tools: the cluster's administrator. */
  public static final String DEPLOYMENT = "deployment";

  private KafkaAccess() {}

  /**
   * Every principal of tsuzuku's Kafka: the deployment, each service, each outside team writing or
   * reading a topic ({@link Topics#principal}).
   */
  public static List<String> principals() {
    var principals = new LinkedHashSet<String>();
    principals.add(DEPLOYMENT);
    for (var topic : Topics.all()) {
      principals.add(Topics.principal(topic.writer()));
      topic.readers().forEach(reader -> principals.add(Topics.principal(reader)));
    }
    return List.copyOf(principals);
  }

  /**
   * The settings a client of {@code principal} needs beyond its serdes: the bootstrap servers and
   * the security settings ({@link #security}), from the environment.
   */
  public static Map<String, Object> client(Function<String, String> environment, String principal) {
    var bootstrap = environment.apply("KAFKA_BOOTSTRAP_SERVERS");
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalStateException("KAFKA_BOOTSTRAP_SERVERS is not set");
    }
    var settings = new LinkedHashMap<String, Object>(security(environment, principal));
    settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap.trim());
    return settings;
  }

  /**
   * SASL/SCRAM over TLS as {@code principal}, its password read from the credentials directory
   * the environment names; nothing when it names none (a cluster without authentication, which
   * tsuzuku's brokers are not: they refuse such a client).
   *
   * @throws UncheckedIOException when the directory holds no file for the principal
   */
  public static Map<String, String> security(Function<String, String> environment, String principal) {
    var directory = environment.apply(CREDENTIALS_DIR);
    return directory == null || directory.isBlank() ? Map.of() : security(Path.of(directory.trim()), principal);
  }

  /** SASL/SCRAM over TLS as {@code principal}, its password the file of its name in {@code directory}. */
  public static Map<String, String> security(Path directory, String principal) {
    var passwordFile = directory.resolve(principal);
    String password;
    try {
      password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Kafka password of '" + principal + "' from " + passwordFile, e);
    }
    var settings = new LinkedHashMap<String, String>();
    settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    settings.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
    settings.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(principal, password));
    var truststore = directory.resolve(TRUSTSTORE);
    if (Files.exists(truststore)) {
      settings.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
      settings.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString());
    }
    return settings;
  }

  /** The JAAS line of a SCRAM login; the values quoted as JAAS requires. */
  public static String jaas(String principal, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"%s\" password=\"%s\";"
        .formatted(quoted(principal), quoted(password));
  }

  private static String quoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
