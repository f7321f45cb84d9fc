package io.tsuzuku.infra.embedded;


import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka, the schema registry and the MongoDB-wire server, each either started here or, when its
 * environment variable names one ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL},
 * {@code MONGODB_URI}), an external server used as it is. Closing stops what was started here, in
 * reverse order, and nothing else.
 */
public final class EmbeddedInfrastructure implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedInfrastructure.class);

  private final Endpoints endpoints;
  private final List<AutoCloseable> started;
  private final List<String> external;

  private EmbeddedInfrastructure(
      Endpoints endpoints, List<AutoCloseable> started, List<String> external) {
    this.endpoints = endpoints;
    this.started = started;
    this.external = external;
  }

  /**
   * How to start: where data is kept (null: nothing is kept), the ports (0: free ones) and who may
   * write to the registry (null: anyone).
   */
  public record Settings(Path dataDirectory, int kafkaPort, int registryPort, int mongoPort,
      EmbeddedSchemaRegistry.Guard registryGuard) {

    /** Temporary storage and free ports: for tests. */
    public static Settings forTests() {
      return new Settings(null, 0, 0, 0, null);
    }

    /** Data kept under {@code dataDirectory} across restarts, on the given ports. */
    public static Settings kept(Path dataDirectory, int kafkaPort, int registryPort, int mongoPort) {
      return new Settings(dataDirectory, kafkaPort, registryPort, mongoPort, null);
    }

    /** The same, with a registry only {@code guard}'s writers write to. */
    public Settings guardedBy(EmbeddedSchemaRegistry.Guard guard) {
      return new Settings(dataDirectory, kafkaPort, registryPort, mongoPort, guard);
    }

    Path under(String name) {
      return dataDirectory == null ? null : dataDirectory.resolve(name);
    }
  }

  /** Starts what the process environment does not name. */
  public static EmbeddedInfrastructure start(Settings settings) {
    return start(settings, System::getenv);
  }

  /** Starts what {@code environment} does not name; a failed start stops what had started. */
  public static EmbeddedInfrastructure start(
      Settings settings, Function<String, String> environment) {
    var started = new ArrayList<AutoCloseable>();
    var external = new ArrayList<String>();
    try {
      var kafka =
          externalOr(
              environment, Endpoints.KAFKA_BOOTSTRAP_SERVERS, external,
              () -> keep(started, EmbeddedKafkaBroker.start(settings.under("kafka"), settings.kafkaPort()))
                  .bootstrapServers());
      // an external broker's credentials are the environment's too
      var kafkaCredentials = broker(started).map(broker -> broker.credentialsDirectory().toString())
          .orElseGet(() -> environment.apply(Endpoints.KAFKA_CREDENTIALS_DIR));
      var registry =
          externalOr(
              environment, Endpoints.SCHEMA_REGISTRY_URL, external,
              () -> keep(started, EmbeddedSchemaRegistry.start(settings.under("registry"), settings.registryPort(), settings.registryGuard()))
                  .url());
      var mongo =
          externalOr(
              environment, Endpoints.MONGODB_URI, external,
              () -> keep(started, EmbeddedMongoServer.start(settings.under("mongo"), settings.mongoPort()))
                  .uri());
      return new EmbeddedInfrastructure(new Endpoints(kafka, kafkaCredentials, registry, mongo), started, external);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  /** The variables that named an external server, so nothing was started for them. */
  public List<String> external() {
    return Collections.unmodifiableList(external);
  }

  /** One line per server: what it is and where it listens. */
  public List<String> describe() {
    var lines = new ArrayList<String>();
    var names =
        Map.of(
            Endpoints.KAFKA_BOOTSTRAP_SERVERS, "Kafka broker (KRaft)      ",
            Endpoints.KAFKA_CREDENTIALS_DIR, "Kafka credentials (SCRAM) ",
            Endpoints.SCHEMA_REGISTRY_URL, "Schema registry (Apicurio)",
            Endpoints.MONGODB_URI, "MongoDB-wire server       ");
    endpoints
        .asEnvironment()
        .forEach(
            (variable, value) ->
                lines.add(
                    "%s %s=%s%s"
                        .formatted(
                            names.get(variable),
                            variable,
                            value,
                            external.contains(variable) ? "  (external)" : "")));
    lines.add(
        "Confluent-compatible registry API: " + endpoints.confluentCompatibleRegistryUrl());
    return lines;
  }

  /** Restarts the Kafka broker started here ({@link EmbeddedKafkaBroker#restart()}). */
  public void restartKafka() {
    broker(started).orElseThrow(() -> new IllegalStateException("Kafka is external (" + Endpoints.KAFKA_BOOTSTRAP_SERVERS + "): it is not restarted here"))
        .restart();
  }

  @Override
  public void close() {
    closeAll(started);
  }

  private static java.util.Optional<EmbeddedKafkaBroker> broker(List<AutoCloseable> started) {
    return started.stream().filter(EmbeddedKafkaBroker.class::isInstance).map(EmbeddedKafkaBroker.class::cast).findFirst();
  }

  private static String externalOr(
      Function<String, String> environment,
      String variable,
      List<String> external,
      Supplier<String> starter) {
    var value = environment.apply(variable);
    if (value != null && !value.isBlank()) {
      log.info("using the external server {}='{}'", variable, value);
      external.add(variable);
      return value.trim();
    }
    return starter.get();
  }

  private static <T extends AutoCloseable> T keep(List<AutoCloseable> started, T server) {
    started.add(server);
    return server;
  }

  private static void closeAll(List<AutoCloseable> started) {
    var reversed = new ArrayList<>(started);
    Collections.reverse(reversed);
    for (var server : reversed) {
      try {
        server.close();
      } catch (Exception e) {
        log.error("cannot stop {}", server, e);
      }
    }
    started.clear();
  }
}
