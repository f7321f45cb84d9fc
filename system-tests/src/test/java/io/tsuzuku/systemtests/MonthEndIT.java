package io.tsuzuku.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The month-end benchmark's short version, in every build: 2,000 contracts through every stage.
 * It fails only if a stage never completes; its figures are printed, never asserted
 * (docs/benchmarks.md, "The month-end"). It runs in a JVM of its own, on servers of its own
 * (system-tests' failsafe execution {@code month-end}): the retries it leaves due would load the
 * next test's services.
 */
@WithEmbeddedInfrastructure
class MonthEndIT {

  @Test
  void aMonthEndOfTwoThousandContractsCompletesEveryStage(Endpoints endpoints) {
    var figures = MonthEnd.run(endpoints, 2_000, false, Duration.ofMinutes(5), System.out);

    assertThat(figures.stages()).hasSize(3).allSatisfy(stage -> assertThat(stage.took()).isPositive());
  }
}
