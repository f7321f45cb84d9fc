package io.tsuzuku.systemtests.model;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The four services over random histories ({@link CrossServiceModel}), each judged once it has
 * settled ({@link ModelChecks}). A failure names its seed, which replays it alone:
 * {@code -Dtsuzuku.model.seed=N}; {@code -Dtsuzuku.model.histories=N} runs more (the build runs
 * a few thousand).
 */
class CrossServiceModelTest {

  private static final int HISTORIES = Integer.getInteger("tsuzuku.model.histories", 3_000);
  private static final int DAYS = Integer.getInteger("tsuzuku.model.days", 75);

  private final Logger services = (Logger) LoggerFactory.getLogger("io.tsuzuku");
  private Level level;

  /**
   * The services log every refusal and unknown outcome; thousands of histories say it too often to
   * read, one replayed history says what happened.
   */
  @BeforeEach
  void quietServices() {
    level = services.getLevel();
    if (Long.getLong("tsuzuku.model.seed") == null) {
      services.setLevel(Level.ERROR);
    }
  }

  @AfterEach
  void restoreLevel() {
    services.setLevel(level);
  }

  @Test
  void theServicesAgreeOnMoneyAndStatusWhateverTheOrderFaultsAndClocks() {
    var only = Long.getLong("tsuzuku.model.seed");
    var first = only == null ? 0 : only;
    var histories = only == null ? HISTORIES : 1;
    long records = 0;
    long payments = 0;
    for (long seed = first; seed < first + histories; seed++) {
      try (var model = new CrossServiceModel(seed)) {
        model.run(DAYS);
        model.settle();
        var violations = ModelChecks.violations(model);
        assertThat(violations)
            .withFailMessage(() -> "the services disagree with seed=" + model.seed() + " (-Dtsuzuku.model.seed=" + model.seed()
                + "):\n  " + String.join("\n  ", violations) + "\nhistory:\n  " + String.join("\n  ", model.history))
            .isEmpty();
        records += model.bus.published();
        payments += model.processor.payments().size();
      }
    }
    System.out.printf("cross-service model: %d histories of %d days, %d records, %d payments, no disagreement%n", histories,
        DAYS, records, payments);
  }
}
