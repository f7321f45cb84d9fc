package io.tsuzuku.systemtests;

import io.tsuzuku.schemas.KafkaAccess;
import io.tsuzuku.deployment.Deployment;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure.Settings;
import io.tsuzuku.infra.embedded.EmbeddedKafkaBroker;
import java.time.Duration;

/**
 * The month-end benchmark as a command ({@link MonthEnd}): {@code [contracts | --quick] [--processes]}
 * (100,000 contracts by default, 20,000 with {@code --quick}) on the embedded servers, temporary
 * data; the services in this JVM, or with {@code --processes} each instance in a process of its
 * own from its executable jar, heap capped at 256 MB. A benchmark, not a test:
 *
 * <pre>
 * ./mvnw -B -q install -DskipTests
 * ./mvnw -q -pl system-tests test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.tsuzuku.systemtests.MonthEndBenchmark [-Dexec.args="--quick --processes"]
 * </pre>
 */
public final class MonthEndBenchmark {

  private MonthEndBenchmark() {}

  public static void main(String[] args) {
    var options = java.util.List.of(args);
    var contracts = options.contains("--quick") ? 20_000
        : options.stream().filter(option -> !option.startsWith("--")).findFirst().map(Integer::parseInt).orElse(100_000);
    try (var servers = EmbeddedInfrastructure.start(Settings.forTests())) {
      var endpoints = servers.endpoints();
      Deployment.prepare(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT), endpoints.schemaRegistryUrl(), EmbeddedKafkaBroker.PARTITIONS);
      MonthEnd.run(endpoints, contracts, options.contains("--processes"), Duration.ofHours(1), System.out);
    }
    System.exit(0); // the services' non-daemon threads outlive the servers they talked to
  }
}
