package io.tsuzuku.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.infra.embedded.EmbeddedInfrastructure;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The soak of every build ({@link Soak.Plan#ci}): a seeded population through 120 simulated days
 * on two instances of every service, every kind of fault at least once, every promise reconciled.
 * A violation names the contract with its history; the seed is in the message ({@code
 * -Dtsuzuku.soak.seed=…} runs the same population, faults and actions again). The report is left in
 * {@code target/soak}.
 */
@WithEmbeddedInfrastructure
class SoakIT {

  @Test
  void aSeededPopulationKeepsEveryPromiseThroughTheFaults(Endpoints endpoints, EmbeddedInfrastructure servers) throws Exception {
    var seed = Long.getLong("tsuzuku.soak.seed", new Random().nextLong());
    var report = Soak.run(Soak.Plan.ci(seed), endpoints, servers::restartKafka, System.out);
    report.write(Path.of("target", "soak"));
    System.out.printf("soak seed=%d: %s by status, %d records, %s%n", seed, report.byStatus(), report.recordsRead(), report.took());

    assertThat(report.violations()).as("soak seed %d (-Dtsuzuku.soak.seed=%d runs it again)", seed, seed).isEmpty();
    assertThat(report.faults()).extracting(Soak.Fault::what).as("every kind of fault, seed %d", seed)
        .anySatisfy(f -> assertThat(f).contains("instance 1"))
        .anySatisfy(f -> assertThat(f).contains("instance 2"))
        .anySatisfy(f -> assertThat(f).contains("broker restarted"))
        .anySatisfy(f -> assertThat(f).contains("Salesforce down"))
        .anySatisfy(f -> assertThat(f).contains("daily API calls"))
        .anySatisfy(f -> assertThat(f).contains("delivered twice"))
        .anySatisfy(f -> assertThat(f).contains("poison"));
    // the population reached every path: recoveries by retries and by re-payments, cancellations, ERROR
    assertThat(report.recoveries()).as("seed %d", seed).containsKeys(io.tsuzuku.events.ChargeKind.AUTO_RETRY,
        io.tsuzuku.events.ChargeKind.SUPPORTER_REPAYMENT);
    assertThat(report.byStatus()).as("seed %d", seed).containsKeys("ACTIVE", "ERROR", "CANCELLED");
    // the supporters who answer the re-payment requests came back through the requests' links
    assertThat(report.byBehaviour().get(Soak.Behaviour.REPAYS_ON_REQUEST)).as("seed %d", seed).containsKey("ACTIVE");
    // the backtest, from the run's history alone: the policy the run followed gives back what happened, month by month
    var backtests = report.backtests();
    var failures = backtests.inForce().get("failures").asLong();
    assertThat(backtests.inForceDeviation())
        .as("seed %d: the policy in force replayed, of %d failures, month by month:%s", seed, failures, backtests.inForceMonths())
        .isLessThanOrEqualTo(SoakReport.Backtests.TOLERANCE_OF.applyAsLong(failures));
    assertThat(SoakReport.Backtests.figure(backtests.withoutRetries(), "replayed", "recovered"))
        .as("seed %d: no retries keeps fewer", seed)
        .isLessThan(SoakReport.Backtests.figure(backtests.inForce(), "actual", "recovered"));
  }
}
