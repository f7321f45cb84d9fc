package io.tsuzuku.status.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every (status, trigger) pair for both cohorts, against the state machine of docs/state-machine.md restated here independently of
 * the table: a status it moves to, REJECTED, or NO_EFFECT.
 */
class TransitionTableTest {

  private static final String REJECTED = "REJECTED";
  private static final String NO_EFFECT = "NO_EFFECT";

  /** The specification, row by row: trigger → outcome, per status, for the current cohort. */
  private static final Map<Status, Map<Trigger, String>> CURRENT =
      Map.of(
          Status.ACTIVE,
          Map.of(
              Trigger.SCHEDULED_CHARGE_FAILED, "RETRYING",
              Trigger.PAYMENT_SUCCEEDED, "ACTIVE",
              Trigger.RETRY_SCHEDULED, "ACTIVE", // its failure is on the way
              Trigger.RETRIES_EXHAUSTED, "ERROR", // so is the failure it concludes
              Trigger.PAYMENT_METHOD_UPDATED, "ACTIVE",
              Trigger.CANCELLED_BY_ADMINISTRATOR, "CANCELLED",
              Trigger.CANCELLED_BY_SUPPORTER, "CANCELLED"),
          Status.RETRYING,
          Map.of(
              Trigger.AUTOMATIC_RETRY_FAILED, "RETRYING",
              Trigger.RETRIES_EXHAUSTED, "ERROR",
              Trigger.PAYMENT_SUCCEEDED, "ACTIVE",
              Trigger.REPAYMENT_FAILED, "RETRYING",
              Trigger.RETRY_SCHEDULED, "RETRYING",
              Trigger.REPAYMENT_REQUESTED, "RETRYING",
              Trigger.PAYMENT_METHOD_UPDATED, "RETRYING",
              Trigger.CANCELLED_BY_ADMINISTRATOR, "CANCELLED",
              Trigger.CANCELLED_BY_SUPPORTER, "CANCELLED"),
          Status.ERROR,
          Map.ofEntries(
              Map.entry(Trigger.PAYMENT_SUCCEEDED, "ACTIVE"),
              // a failure that arrives after the exhaustion it led to is recorded
              Map.entry(Trigger.SCHEDULED_CHARGE_FAILED, "ERROR"),
              Map.entry(Trigger.AUTOMATIC_RETRY_FAILED, "ERROR"),
              Map.entry(Trigger.MANUAL_RETRY_FAILED, "ERROR"),
              Map.entry(Trigger.REPAYMENT_FAILED, "ERROR"),
              Map.entry(Trigger.RETRY_SCHEDULED, "ERROR"),
              Map.entry(Trigger.MANUAL_RETRY_REQUESTED, "ERROR"),
              Map.entry(Trigger.MANUAL_RETRY_WITHDRAWN, "ERROR"),
              Map.entry(Trigger.FINAL_NOTICE_SENT, "ERROR"),
              Map.entry(Trigger.REPAYMENT_REQUESTED, "ERROR"),
              Map.entry(Trigger.PAYMENT_METHOD_UPDATED, "ERROR"),
              Map.entry(Trigger.CANCELLED_BY_ADMINISTRATOR, "CANCELLED"),
              Map.entry(Trigger.CANCELLED_BY_SUPPORTER, "CANCELLED")),
          Status.CANCELLED,
          Map.of());

  /** Where the legacy cohort differs: no retries of any kind, cancellation on the deadline. */
  private static final Map<Status, Map<Trigger, String>> LEGACY_DIFFERENCES =
      Map.of(
          Status.ACTIVE,
          Map.of(Trigger.RETRY_SCHEDULED, REJECTED, Trigger.RETRIES_EXHAUSTED, REJECTED),
          Status.RETRYING,
          Map.of(
              Trigger.REPAYMENT_DEADLINE_PASSED, "CANCELLED",
              Trigger.AUTOMATIC_RETRY_FAILED, REJECTED,
              Trigger.RETRIES_EXHAUSTED, REJECTED,
              Trigger.RETRY_SCHEDULED, REJECTED),
          Status.ERROR,
          Map.of(
              Trigger.MANUAL_RETRY_REQUESTED, REJECTED,
              Trigger.AUTOMATIC_RETRY_FAILED, REJECTED,
              Trigger.RETRY_SCHEDULED, REJECTED));

  static Stream<Arguments> everyPair() {
    var pairs = new ArrayList<Arguments>();
    for (var cohort : Cohort.values()) {
      for (var status : Status.values()) {
        for (var trigger : Trigger.values()) {
          pairs.add(Arguments.of(cohort, status, trigger, expected(cohort, status, trigger)));
        }
      }
    }
    return pairs.stream();
  }

  private static String expected(Cohort cohort, Status status, Trigger trigger) {
    if (status == Status.CANCELLED) {
      return NO_EFFECT;
    }
    if (cohort == Cohort.LEGACY) {
      var difference = LEGACY_DIFFERENCES.getOrDefault(status, Map.of()).get(trigger);
      if (difference != null) {
        return difference;
      }
    }
    return CURRENT.get(status).getOrDefault(trigger, REJECTED);
  }

  @ParameterizedTest(name = "{0} {1} × {2} → {3}")
  @MethodSource("everyPair")
  void everyStatusAndTriggerPairDoesWhatTheSpecificationSays(
      Cohort cohort, Status status, Trigger trigger, String expected) {
    var contract = Fixtures.inStatus(status, cohort);

    var outcome = contract.apply(Fixtures.event(trigger));

    switch (expected) {
      case REJECTED -> {
        assertThat(outcome.result()).isEqualTo(Outcome.Result.REJECTED);
        assertThat(outcome.reason()).isNotBlank();
        assertThat(outcome.contract()).isSameAs(contract);
        assertThat(outcome.effects()).isEmpty();
      }
      case NO_EFFECT -> {
        assertThat(outcome.result()).isEqualTo(Outcome.Result.NO_EFFECT);
        assertThat(outcome.contract()).isSameAs(contract);
        assertThat(outcome.effects()).isEmpty();
      }
      default -> {
        assertThat(outcome.result()).as(outcome.reason()).isEqualTo(Outcome.Result.APPLIED);
        assertThat(outcome.contract().status()).isEqualTo(Status.valueOf(expected));
        assertThat(outcome.contract().version()).isEqualTo(contract.version() + 1);
        assertThat(outcome.effects())
            .first()
            .isEqualTo(new Effect.StatusChanged(status, Status.valueOf(expected)));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void theDiagramShowsEveryRule(TransitionTable.Rule rule) {
    assertThat(TransitionTable.mermaid())
        .contains("%s --> %s : %s".formatted(rule.from(), rule.to(), rule.trigger()));
  }

  static List<TransitionTable.Rule> rules() {
    return TransitionTable.rules();
  }
}
