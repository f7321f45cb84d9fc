package io.tsuzuku.localstack;

import io.tsuzuku.infra.embedded.EmbeddedInfrastructure;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure.Settings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs tsuzuku on this machine: the real Kafka broker, schema registry and MongoDB-wire server,
 * their data kept across restarts. Prints where each part listens; Ctrl-C stops everything.
 *
 * <p>Settings, from the environment: {@code TSUZUKU_DATA_DIR} (default {@code
 * .local-stack-data}), {@code LOCAL_KAFKA_PORT} (9092), {@code LOCAL_REGISTRY_PORT} (8081), {@code
 * LOCAL_MONGODB_PORT} (27017). {@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL} or
 * {@code MONGODB_URI} use an external server instead of starting one.
 */
public final class LocalStack {

  private LocalStack() {}

  public static void main(String[] args) throws InterruptedException {
    var settings = settings(System.getenv());
    var infrastructure = EmbeddedInfrastructure.start(settings);
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("tsuzuku local stack: stopping");
                  infrastructure.close();
                  stopped.countDown();
                },
                "local-stack-stopper"));
    banner(infrastructure, settings, System.out);
    stopped.await();
  }

  static Settings settings(Map<String, String> environment) {
    return Settings.kept(
        Path.of(environment.getOrDefault("TSUZUKU_DATA_DIR", ".local-stack-data")).toAbsolutePath(),
        port(environment, "LOCAL_KAFKA_PORT", 9092),
        port(environment, "LOCAL_REGISTRY_PORT", 8081),
        port(environment, "LOCAL_MONGODB_PORT", 27017));
  }

  static void banner(EmbeddedInfrastructure infrastructure, Settings settings, PrintStream out) {
    out.println();
    out.println("tsuzuku local stack is up (data in " + settings.dataDirectory() + ")");
    infrastructure.describe().forEach(line -> out.println("  " + line));
    out.println("Press Ctrl-C to stop everything.");
    out.println();
  }

  private static int port(Map<String, String> environment, String variable, int fallback) {
    var value = environment.get(variable);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(variable + " must be a port number, was '" + value + "'", e);
    }
  }
}
