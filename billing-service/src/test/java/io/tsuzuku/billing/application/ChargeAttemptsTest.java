package io.tsuzuku.billing.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor;
import io.tsuzuku.billing.application.port.AttemptStore;
import io.tsuzuku.billing.domain.AttemptId;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.BillingCalendar;
import io.tsuzuku.billing.domain.ChargeKind;
import io.tsuzuku.billing.domain.FailureClass;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Charge attempts: once per attempt id, whatever is delivered twice or dies half-way. */
class ChargeAttemptsTest {

  private static final Instant NOW = Instant.parse("2027-03-01T01:00:00Z");
  private static final LocalDate PERIOD = LocalDate.of(2027, 3, 1);

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final Attempts store = new Attempts();
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
    store.failNextComplete = true; // the process dies after the processor charged, before recording
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

  /** The attempt store in memory; it can die once, after the processor call. */
  private static final class Attempts implements AttemptStore {
    final Map<String, Attempt> byId = new LinkedHashMap<>();
    boolean failNextComplete;

    @Override
    public Optional<Attempt> find(String attemptId) {
      return Optional.ofNullable(byId.get(attemptId));
    }

    @Override
    public boolean recordNew(Attempt attempt) {
      return byId.putIfAbsent(attempt.attemptId(), attempt) == null;
    }

    @Override
    public void complete(Attempt attempt) {
      if (failNextComplete) {
        failNextComplete = false;
        throw new IllegalStateException("the process died");
      }
      byId.put(attempt.attemptId(), attempt);
    }

    @Override
    public List<Instant> attemptTimes(String contractId, Instant since) {
      return byId.values().stream()
          .filter(a -> a.contractId().equals(contractId) && a.createdAt().isAfter(since) && a.state() != Attempt.State.REFUSED)
          .map(Attempt::createdAt).toList();
    }

    @Override
    public Optional<Attempt> findByCause(String causeEventId) {
      return byId.values().stream().filter(a -> causeEventId.equals(a.causeEventId())).findFirst();
    }

    @Override
    public int countOf(String contractId, LocalDate period, ChargeKind kind) {
      return (int) byId.values().stream()
          .filter(a -> a.contractId().equals(contractId) && a.period().equals(period) && a.kind() == kind).count();
    }

    @Override
    public List<Attempt> pending() {
      return byId.values().stream().filter(a -> !a.isFinished()).toList();
    }
  }
}
