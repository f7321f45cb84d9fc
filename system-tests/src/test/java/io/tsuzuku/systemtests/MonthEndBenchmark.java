package io.tsuzuku.systemtests;

import io.tsuzuku.deployment.Deployment;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure.Settings;
import io.tsuzuku.infra.embedded.EmbeddedKafkaBroker;
import java.time.Duration;

/**
 * The month-end benchmark as a command ({@link MonthEnd}): {@code [contracts]} (100,000 by default;
 * {@code --quick}: 20,000) on the embedded servers, temporary data. A benchmark, not a test:
 *
 * <pre>
 * ./mvnw -B -q install -DskipTests
 * ./mvnw -q -pl system-tests test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.tsuzuku.systemtests.MonthEndBenchmark [-Dexec.args="--quick"]
 * </pre>
 */
public final class MonthEndBenchmark {

  private MonthEndBenchmark() {}

  public static void main(String[] args) {
    var contracts = args.length == 0 ? 100_000 : "--quick".equals(args[0]) ? 20_000 : Integer.parseInt(args[0]);
    try (var servers = EmbeddedInfrastructure.start(Settings.forTests())) {
      var endpoints = servers.endpoints();
      Deployment.prepare(endpoints.kafkaBootstrapServers(), endpoints.schemaRegistryUrl(), EmbeddedKafkaBroker.PARTITIONS);
      MonthEnd.run(endpoints, contracts, Duration.ofHours(1), System.out);
    }
    System.exit(0); // the services' non-daemon threads outlive the servers they talked to
  }
}
