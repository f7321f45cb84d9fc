package io.tsuzuku.systemtests;

import io.tsuzuku.schemas.KafkaAccess;
import io.tsuzuku.deployment.Deployment;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure.Settings;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure;
import io.tsuzuku.infra.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The soak as a command: {@code [--days N] [--contracts N] [--seed S] [--report DIRECTORY]}
 * (defaults: 400 days, 10,000 contracts, a random seed, {@code target/soak}). Starts the embedded
 * servers on temporary data, runs {@link Soak}, writes the report and its chart, prints every
 * violation and exits 1 when there is one.
 */
public final class SoakCommand {

  private SoakCommand() {}

  public static void main(String[] args) throws Exception {
    var options = List.of(args);
    var full = Soak.Plan.full(0);
    var plan = new Soak.Plan(
        option(options, "--seed").map(Long::parseLong).orElseGet(() -> new Random().nextLong()),
        option(options, "--days").map(Integer::parseInt).orElse(full.days()),
        option(options, "--contracts").map(Integer::parseInt).orElse(full.contracts()));
    var directory = Path.of(option(options, "--report").orElse("target/soak"));
    SoakReport report;
    try (var servers = EmbeddedInfrastructure.start(Settings.forTests())) {
      var endpoints = servers.endpoints();
      Deployment.prepare(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT), endpoints.schemaRegistryUrl(), EmbeddedKafkaBroker.PARTITIONS);
      report = Soak.run(plan, endpoints, servers::restartKafka, System.out);
    }
    var written = report.write(directory);
    System.out.println();
    System.out.println(report.markdown(written.resolveSibling("soak-policy-comparison.png").toString()));
    System.out.printf("soak seed=%d days=%d contracts=%d: %d violations in %s; report: %s%n", plan.seed(), plan.days(), plan.contracts(),
        report.violations().size(), report.took(), written.toAbsolutePath());
    System.exit(report.violations().isEmpty() ? 0 : 1);
  }

  private static Optional<String> option(List<String> options, String name) {
    var at = options.indexOf(name);
    if (at < 0) {
      return Optional.empty();
    }
    if (at + 1 >= options.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return Optional.of(options.get(at + 1));
  }
}
