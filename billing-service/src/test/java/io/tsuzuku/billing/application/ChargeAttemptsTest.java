package io.tsuzuku.billing.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor;
import io.tsuzuku.billing.domain.AttemptId;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.ChargeKind;
import io.tsuzuku.billing.domain.FailureClass;
import io.tsuzuku.calendar.BillingCalendar;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Charge attempts: once per attempt id, whatever is delivered twice or dies half-way. */
class ChargeAttemptsTest {

  private static final Instant NOW = Instant.parse("2027-03-01T01:00:00Z");
  private static final LocalDate PERIOD = LocalDate.of(2027, 3, 1);

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final InMemoryBilling.Attempts store = new InMemoryBilling.Attempts();
  private final List<Attempt> published = new ArrayList<>();
  private final SimulatedPaymentProcessor processor = new SimulatedPaymentProcessor(clock, ZoneId.of("Asia/Tokyo"), Duration.ZERO);
  private final ChargeAttempts attempts = new ChargeAttempts(store, processor, published::add, clock);

  @Test
  void aCommandDeliveredTwiceChargesOnceAndAnswersTheSameOutcome() {
    var first = attempts.charge(command("tok_ok", ChargeKind.SCHEDULED));
    var second = attempts.charge(command("tok_ok", ChargeKind.SCHEDULED));

    assertThat(processor.charges()).isEqualTo(1);
    assertThat(second).isEqualTo(first);
    assertThat(first.state()).isEqualTo(Attempt.State.SUCCEEDED);
    assertThat(published).hasSize(2).allSatisfy(outcome -> assertThat(outcome).isEqualTo(first));
  }

  @Test
  void anAttemptLeftPendingByACrashAfterTheProcessorCallIsReconciledNotChargedAgain() {
    store.dieOnNextComplete = true; // the process dies after the processor charged, before recording
    assertThatThrownBy(() -> attempts.charge(command("tok_ok", ChargeKind.SCHEDULED))).hasMessageContaining("died");
    assertThat(store.find(attemptId(ChargeKind.SCHEDULED)).orElseThrow().state()).isEqualTo(Attempt.State.PENDING);

    var restarted = new ChargeAttempts(store, processor, published::add, clock);
    assertThat(restarted.reconcilePending()).isEqualTo(1);

    assertThat(processor.charges()).isEqualTo(1);
    assertThat(store.find(attemptId(ChargeKind.SCHEDULED)).orElseThrow().state()).isEqualTo(Attempt.State.SUCCEEDED);
    assertThat(published).singleElement().satisfies(a -> assertThat(a.reference()).startsWith("sim_"));
  }

  @Test
  void aDeclineIsRecordedWithItsCodeAndClass() {
    var outcome = attempts.charge(command("tok_decline_expired_card", ChargeKind.SCHEDULED));

    assertThat(outcome.state()).isEqualTo(Attempt.State.FAILED);
    assertThat(outcome.failureCode()).isEqualTo("expired_card");
    assertThat(outcome.failureClass()).isEqualTo(FailureClass.HARD_DECLINE);
  }

  @Test
  void aRefusedAttemptIsPublishedAsFailedAndNeverReachesTheProcessor() {
    var legacy = new BilledContract("c-1", "org-1", BilledContract.Cohort.LEGACY,
        new BillingCalendar(BillingCalendar.Interval.MONTHLY, 1, 1), 3000, "tok_ok", "RETRYING", null);

    var outcome = attempts.charge(new ChargeAttempts.Command(attemptId(ChargeKind.AUTO_RETRY), legacy, ChargeKind.AUTO_RETRY, 1, PERIOD, "e-1"));

    assertThat(outcome.state()).isEqualTo(Attempt.State.REFUSED);
    assertThat(outcome.failureCode()).isEqualTo("legacy_contract_retry");
    assertThat(processor.charges()).isZero();
    assertThat(published).containsExactly(outcome);
  }

  @Test
  void anUnknownOutcomeLeavesTheAttemptPendingForReconciliation() {
    assertThatThrownBy(() -> attempts.charge(command("tok_timeout", ChargeKind.SCHEDULED)))
        .isInstanceOf(OutcomeUnknownException.class);

    assertThat(store.pending()).hasSize(1);
    assertThat(published).isEmpty();
  }

  @Test
  void aCardThatDeclinesUntilADateWorksFromThatDate() {
    var outcome = attempts.charge(command("tok_decline_until_2027-03-01", ChargeKind.SCHEDULED));
    var earlier = attempts.charge(new ChargeAttempts.Command(attemptId(ChargeKind.AUTO_RETRY),
        contract("tok_decline_until_2027-03-02"), ChargeKind.AUTO_RETRY, 1, PERIOD, "e-1"));

    assertThat(outcome.state()).isEqualTo(Attempt.State.SUCCEEDED);
    assertThat(earlier.state()).isEqualTo(Attempt.State.FAILED);
  }

  private static ChargeAttempts.Command command(String token, ChargeKind kind) {
    return new ChargeAttempts.Command(attemptId(kind), contract(token), kind, 0, PERIOD, "e-1");
  }

  private static BilledContract contract(String token) {
    return new BilledContract("c-1", "org-1", BilledContract.Cohort.CURRENT,
        new BillingCalendar(BillingCalendar.Interval.MONTHLY, 1, 1), 3000, token, "ACTIVE", PERIOD);
  }

  private static String attemptId(ChargeKind kind) {
    return AttemptId.of("c-1", PERIOD, kind, kind == ChargeKind.SCHEDULED ? 0 : 1);
  }
}
