package io.tsuzuku.status.domain;

import io.tsuzuku.schemas.AttemptBudget;
import static io.tsuzuku.status.domain.Fixtures.FAILED;
import static io.tsuzuku.status.domain.Fixtures.PAID;
import static io.tsuzuku.status.domain.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ContractTest {

  @Test
  void aFailedScheduledChargeMakesTheFailedPeriodOutstanding() {
    var outcome = Fixtures.active(Cohort.CURRENT).apply(Fixtures.event(Trigger.SCHEDULED_CHARGE_FAILED));

    var contract = outcome.contract();
    assertThat(contract.status()).isEqualTo(Status.RETRYING);
    assertThat(contract.outstandingPeriod()).isEqualTo(FAILED);
    assertThat(contract.attemptsInPeriod()).isEqualTo(1);
    assertThat(contract.lastFailure().code()).isEqualTo("insufficient_funds");
    assertThat(contract.statusSince()).isEqualTo(outcome.event().occurredAt());
  }

  @Test
  void aRetryScheduledThatArrivesBeforeTheFailureThatCausedItIsKeptThroughThatFailure() {
    var runAt = T0.plus(Duration.ofDays(67));
    var early = Fixtures.active(Cohort.CURRENT)
        .apply(new ContractEvent.RetryScheduled("rs-1", T0.plus(Duration.ofDays(60)), ChargeKind.AUTO_RETRY, 1, FAILED, runAt));
    assertThat(early.result()).as(early.reason()).isEqualTo(Outcome.Result.APPLIED);
    assertThat(early.contract().status()).isEqualTo(Status.ACTIVE);

    var failed = early.contract().apply(failure(ChargeKind.SCHEDULED, 0)).contract();

    assertThat(failed.status()).isEqualTo(Status.RETRYING);
    assertThat(failed.nextRetry()).isEqualTo(new NextRetry(ChargeKind.AUTO_RETRY, 1, FAILED, runAt));
  }

  @Test
  void aFailureClearsTheRetryThatRanNotTheOneItsFailureAlreadyScheduled() {
    var retrying = Fixtures.active(Cohort.CURRENT).apply(failure(ChargeKind.SCHEDULED, 0)).contract()
        .apply(scheduled(1)).contract();
    var secondScheduledFirst = retrying.apply(scheduled(2)).contract();

    var afterFirstRetryFailed = secondScheduledFirst.apply(failure(ChargeKind.AUTO_RETRY, 1)).contract();
    assertThat(afterFirstRetryFailed.nextRetry()).extracting(NextRetry::number).isEqualTo(2);

    var inOrder = retrying.apply(failure(ChargeKind.AUTO_RETRY, 1)).contract();
    assertThat(inOrder.nextRetry()).as("the retry that ran is no longer next").isNull();
    assertThat(inOrder.apply(scheduled(2)).contract().nextRetry()).extracting(NextRetry::number).isEqualTo(2);
  }

  /**
   * The scheduler's announcement of a retry can arrive after the retry's own failure (they travel on
   * different topics): the retry that already ran is not announced as next.
   */
  @Test
  void aRetryScheduledThatArrivesAfterItsRetryFailedIsNotNext() {
    var retrying = Fixtures.active(Cohort.CURRENT).apply(failure(ChargeKind.SCHEDULED, 0)).contract();
    var afterRetry = retrying.apply(failure(ChargeKind.AUTO_RETRY, 1)).contract();

    var late = afterRetry.apply(scheduled(1));

    assertThat(late.result()).as(late.reason()).isEqualTo(Outcome.Result.APPLIED);
    assertThat(late.contract().nextRetry()).as("the announced retry already ran").isNull();
    assertThat(late.contract().apply(scheduled(2)).contract().nextRetry()).extracting(NextRetry::number).isEqualTo(2);
  }

  @Test
  void aManualRetryScheduledThatArrivesAfterItsFailureIsNotNext() {
    var error = Fixtures.inStatus(Status.ERROR, Cohort.CURRENT);
    var runAt = T0.plus(Duration.ofDays(90));
    var attempt = new ContractEvent.PaymentFailed("f-manual", runAt.plusSeconds(30),
        Fixtures.attempt(error.outstandingPeriod(), ChargeKind.MANUAL_RETRY, 4), 3000,
        new Failure("card_declined", "SOFT_DECLINE", runAt.plusSeconds(30)));
    var failed = error.apply(attempt).contract();

    var late = failed.apply(new ContractEvent.RetryScheduled(
        "rs-manual", runAt, ChargeKind.MANUAL_RETRY, 4, error.outstandingPeriod(), runAt));

    assertThat(late.contract().status()).isEqualTo(Status.ERROR);
    assertThat(late.contract().nextRetry()).isNull();
  }

  @Test
  void aRetryScheduledForAPeriodAlreadyPaidIsRejected() {
    var late = Fixtures.active(Cohort.CURRENT)
        .apply(new ContractEvent.RetryScheduled("rs-old", T0, ChargeKind.AUTO_RETRY, 1, PAID, T0.plus(Duration.ofDays(7))));

    assertThat(late.result()).isEqualTo(Outcome.Result.REJECTED);
  }

  private static ContractEvent.PaymentFailed failure(ChargeKind kind, int number) {
    var at = T0.plus(Duration.ofDays(60 + 7L * number));
    return new ContractEvent.PaymentFailed("f-" + kind + number, at, Fixtures.attempt(FAILED, kind, number), 3000,
        new Failure("insufficient_funds", "SOFT_DECLINE", at));
  }

  private static ContractEvent.RetryScheduled scheduled(int number) {
    var at = T0.plus(Duration.ofDays(60 + 7L * (number - 1)));
    return new ContractEvent.RetryScheduled("rs-" + number, at, ChargeKind.AUTO_RETRY, number, FAILED, at.plus(Duration.ofDays(7)));
  }

  @Test
  void exhaustedRetriesPutTheContractInErrorSinceThatMoment() {
    var retrying = Fixtures.inStatus(Status.RETRYING, Cohort.CURRENT);
    var exhausted = Fixtures.event(Trigger.RETRIES_EXHAUSTED);

    var contract = retrying.apply(exhausted).contract();

    assertThat(contract.status()).isEqualTo(Status.ERROR);
    assertThat(contract.errorSince()).isEqualTo(exhausted.occurredAt());
    assertThat(contract.nextRetry()).isNull();
  }

  /**
   * With no automatic retries (or none after the decline), the retry-service concludes at once:
   * its RetriesExhausted (retry-events) and the failure it follows (payment-outcomes) arrive in
   * either order, and the contract ends in the same ERROR, where a manual retry may be ordered.
   */
  @Test
  void retriesExhaustedBeforeTheFailureItFollowsEndsInTheSameErrorAsInOrder() {
    var active = Fixtures.active(Cohort.CURRENT);
    var failed = failure(ChargeKind.SCHEDULED, 0);
    var exhausted = new ContractEvent.RetriesExhausted("ex-1", failed.occurredAt().plusSeconds(1), FAILED);

    var early = active.apply(exhausted);
    assertThat(early.result()).as(early.reason()).isEqualTo(Outcome.Result.APPLIED);
    var late = early.contract().apply(failed);
    assertThat(late.result()).as(late.reason()).isEqualTo(Outcome.Result.APPLIED);

    var inOrder = active.apply(failed).contract().apply(exhausted).contract();
    var reversed = late.contract();
    assertThat(reversed.status()).isEqualTo(Status.ERROR);
    assertThat(reversed).usingRecursiveComparison().ignoringFields("statusSince").isEqualTo(inOrder);
    assertThat(reversed.errorSince()).isEqualTo(exhausted.occurredAt());
    assertThat(reversed.apply(Fixtures.event(Trigger.MANUAL_RETRY_REQUESTED)).result()).isEqualTo(Outcome.Result.APPLIED);
  }

  /** A hard decline allows no retry: its exhaustion often comes first, and already says the card needs replacing. */
  @Test
  void anExhaustionAfterAHardDeclineThatArrivesFirstAlreadyRefusesAManualRetry() {
    var stolen = new Failure("stolen_card", "HARD_DECLINE", T0.plus(Duration.ofDays(60)));
    var exhausted = new ContractEvent.RetriesExhausted("ex-1", stolen.at().plusSeconds(1), FAILED, stolen);

    var error = Fixtures.active(Cohort.CURRENT).apply(exhausted).contract();

    assertThat(error.status()).isEqualTo(Status.ERROR);
    assertThat(error.lastFailure()).isEqualTo(stolen);
    assertThat(TransitionTable.decide(error, Fixtures.event(Trigger.MANUAL_RETRY_REQUESTED)))
        .isInstanceOfSatisfying(TransitionTable.Verdict.Rejected.class, r -> assertThat(r.code()).isEqualTo("NEW_CARD_REQUIRED"));
  }

  /** The supporter re-paid with the same card and it was declined for good: the pending retry could only be refused. */
  @Test
  void aHardDeclineWithdrawsThePendingManualRetry() {
    var error = Fixtures.inStatus(Status.ERROR, Cohort.CURRENT);
    var revoked = new Failure("revocation_of_all_authorizations", "HARD_DECLINE", T0.plus(Duration.ofDays(50)));

    var outcome = error.apply(new ContractEvent.PaymentFailed("f-r", revoked.at(),
        Fixtures.attempt(FAILED, ChargeKind.SUPPORTER_REPAYMENT, 1), 3000, revoked));

    assertThat(outcome.contract().pendingManualRetry()).isNull();
    assertThat(outcome.effects()).contains(new Effect.ManualRetryWithdrawn(Actor.Kind.SYSTEM, "the card needs replacing",
        error.pendingManualRetry().runAt()));
  }

  @Test
  void aLegacyContractIgnoresAnExhaustionItNeverHas() {
    var exhausted = new ContractEvent.RetriesExhausted("ex-1", T0, FAILED);

    assertThat(Fixtures.active(Cohort.LEGACY).apply(exhausted).result()).isEqualTo(Outcome.Result.REJECTED);
  }

  @Test
  void theTableRefusesAManualRetryOnACardWhoseLastDeclineNeedsANewOne() {
    var revoked = new Failure("revocation_of_all_authorizations", "HARD_DECLINE", T0.plus(Duration.ofDays(60)));
    var error = Fixtures.inStatus(Status.ERROR, Cohort.CURRENT).apply(new ContractEvent.PaymentFailed("f-m", revoked.at(),
        Fixtures.attempt(FAILED, ChargeKind.MANUAL_RETRY, 4), 3000, revoked)).contract();

    assertThat(TransitionTable.decide(error, Fixtures.event(Trigger.MANUAL_RETRY_REQUESTED)))
        .isEqualTo(new TransitionTable.Verdict.Rejected("NEW_CARD_REQUIRED",
            "declined revocation_of_all_authorizations: the card is not charged again until the supporter gives a new one"));
    // a re-payment with a new card that is declined for a passing reason makes it retryable again
    var soft = new Failure("insufficient_funds", "SOFT_DECLINE", T0.plus(Duration.ofDays(61)));
    var newCard = error.apply(new ContractEvent.PaymentFailed("f-r", soft.at(),
        Fixtures.attempt(FAILED, ChargeKind.SUPPORTER_REPAYMENT, 1), 3000, soft)).contract();
    assertThat(newCard.apply(Fixtures.event(Trigger.MANUAL_RETRY_REQUESTED)).result()).isEqualTo(Outcome.Result.APPLIED);
  }

  @Test
  void aFailedManualRetryKeepsErrorSinceAndRecordsTheFailure() {
    var error = Fixtures.inStatus(Status.ERROR, Cohort.CURRENT);

    var contract = error.apply(Fixtures.event(Trigger.MANUAL_RETRY_FAILED)).contract();

    assertThat(contract.status()).isEqualTo(Status.ERROR);
    assertThat(contract.errorSince()).isEqualTo(error.errorSince());
    assertThat(contract.statusSince()).isEqualTo(error.statusSince());
    assertThat(contract.attemptsInPeriod()).isEqualTo(error.attemptsInPeriod() + 1);
    assertThat(contract.pendingManualRetry()).as("the manual retry ran").isNull();
  }

  @Test
  void recoveryFromErrorPaysThePeriodClearsErrorAndWithdrawsThePendingManualRetry() {
    var error = Fixtures.inStatus(Status.ERROR, Cohort.CURRENT);

    var outcome = error.apply(Fixtures.event(Trigger.PAYMENT_SUCCEEDED));

    var contract = outcome.contract();
    assertThat(contract.status()).isEqualTo(Status.ACTIVE);
    assertThat(contract.errorSince()).isNull();
    assertThat(contract.outstandingPeriod()).isNull();
    assertThat(contract.lastPaidPeriod()).isEqualTo(FAILED);
    assertThat(contract.pendingManualRetry()).isNull();
    assertThat(outcome.effects())
        .containsExactly(
            new Effect.StatusChanged(Status.ERROR, Status.ACTIVE),
            new Effect.ManualRetryWithdrawn(Actor.Kind.SYSTEM, "the contract left ERROR", error.pendingManualRetry().runAt()));
  }

  @Test
  void aStaleFailureOfAPeriodPaidMeanwhileLeavesTheRecoveredContractActive() {
    var recovered =
        Fixtures.inStatus(Status.RETRYING, Cohort.CURRENT)
            .apply(Fixtures.event(Trigger.PAYMENT_SUCCEEDED))
            .contract();

    var late = recovered.apply(Fixtures.event(Trigger.SCHEDULED_CHARGE_FAILED, FAILED));
    var older = recovered.apply(Fixtures.event(Trigger.SCHEDULED_CHARGE_FAILED, PAID));

    assertThat(late.result()).isEqualTo(Outcome.Result.REJECTED);
    assertThat(late.reason()).contains("already paid");
    assertThat(older.result()).isEqualTo(Outcome.Result.REJECTED);
    assertThat(late.contract().status()).isEqualTo(Status.ACTIVE);
  }

  @Test
  void aSuccessForAnOlderPeriodDoesNotRecoverTheOutstandingOne() {
    var retrying = Fixtures.inStatus(Status.RETRYING, Cohort.CURRENT);

    var outcome = retrying.apply(Fixtures.event(Trigger.PAYMENT_SUCCEEDED, PAID));

    assertThat(outcome.result()).isEqualTo(Outcome.Result.REJECTED);
    assertThat(outcome.reason()).contains("not the outstanding period");
  }

  @Test
  void aLegacyContractIsCancelledOnItsDeadlineWithTheLegacyReason() {
    var retrying = Fixtures.inStatus(Status.RETRYING, Cohort.LEGACY);

    var contract = retrying.apply(Fixtures.event(Trigger.REPAYMENT_DEADLINE_PASSED)).contract();

    assertThat(contract.status()).isEqualTo(Status.CANCELLED);
    assertThat(contract.cancellationReason()).isEqualTo("automatic cancellation of a legacy contract");
  }

  @Test
  void aManualRetryOrderIsPublishedForTheOutstandingPeriod() {
    var error = Fixtures.inStatus(Status.ERROR, Cohort.CURRENT);
    var request = (ContractEvent.ManualRetryRequested) Fixtures.event(Trigger.MANUAL_RETRY_REQUESTED);

    var outcome = error.apply(request);

    assertThat(outcome.contract().pendingManualRetry().retryOn()).isEqualTo(request.retryOn());
    assertThat(outcome.effects())
        .contains(new Effect.ManualRetryOrdered(request.retryOn(), request.runAt(), FAILED, "admin@org-1"));
  }

  @Test
  void aFinalNoticeIsRecordedWithItsDate() {
    var error = Fixtures.inStatus(Status.ERROR, Cohort.CURRENT);

    var outcome = error.apply(Fixtures.event(Trigger.FINAL_NOTICE_SENT));

    assertThat(outcome.contract().lastFinalNoticeOn()).isEqualTo(LocalDate.of(2027, 1, 1));
    assertThat(outcome.effects()).contains(new Effect.FinalNoticeOrdered(LocalDate.of(2027, 1, 1), "admin@org-1"));
  }

  @Test
  void onlyAttemptsOfTheLast30DaysCountAgainstTheBudget() {
    var contract = Fixtures.active(Cohort.CURRENT);
    for (int day = 0; day < 40; day += 2) {
      var at = T0.plus(Duration.ofDays(day));
      contract =
          new Contract(
              contract.contractId(), contract.orgId(), contract.cohort(), contract.supporter(),
              contract.amountYen(), contract.interval(), Status.ERROR, at, at, null, FAILED, PAID, day, contract.recentAttempts(),
              null, null, null, null, 0, null, null, contract.version())
              .apply(new ContractEvent.PaymentFailed("e" + day, at, Fixtures.attempt(FAILED, ChargeKind.MANUAL_RETRY, day), 3000, new Failure("x", "SOFT_DECLINE", at)))
              .contract();
    }
    Instant end = T0.plus(Duration.ofDays(38));

    assertThat(AttemptBudget.count(contract.recentAttempts(), end)).isEqualTo(15);
    assertThat(contract.recentAttempts()).hasSize(15);
  }

  @Test
  void theTableItselfRefusesAManualRetryBeyondTheAttemptBudgetWhoeverAsks() {
    var error = Fixtures.inStatus(Status.ERROR, Cohort.CURRENT);
    var runAt = T0.plus(Duration.ofDays(60));
    var attempts = java.util.stream.IntStream.range(0, 15).mapToObj(i -> runAt.minus(Duration.ofDays(i + 1))).toList();
    var spent = new Contract(error.contractId(), error.orgId(), error.cohort(), error.supporter(), error.amountYen(),
        error.interval(), Status.ERROR, error.statusSince(), error.errorSince(), error.lastFailure(), error.outstandingPeriod(),
        error.lastPaidPeriod(), 15, attempts, null, null, null, null, 0, null, null, error.version());
    var request = new ContractEvent.ManualRetryRequested("r", runAt.minus(Duration.ofDays(1)), Fixtures.ADMIN,
        LocalDate.of(2027, 3, 2), runAt);

    assertThat(TransitionTable.decide(spent, request))
        .isEqualTo(new TransitionTable.Verdict.Rejected("ATTEMPT_BUDGET_EXCEEDED", "at most 15 charge attempts in any 30 days"));
    assertThat(TransitionTable.decide(spent, new ContractEvent.ManualRetryRequested("r", runAt, Fixtures.ADMIN,
        LocalDate.of(2027, 3, 20), runAt.plus(Duration.ofDays(18)))))
        .as("a later date, once older attempts left the window").isInstanceOf(TransitionTable.Verdict.Applies.class);
  }

  /**
   * Billing decides whether a re-payment beat a legacy deadline and publishes its verdict only
   * when none did: the status follows it and compares no instants another service stamped. A
   * success that billing's clock stamped a minute before the status-service's cancellation cannot
   * reopen the contract (billing refuses every charge once it lapsed it).
   */
  @Test
  void aCancellationOnBillingsDeadlineVerdictIsFinalWhateverTheTimesStampedByOtherClocks() {
    var retrying = Fixtures.inStatus(Status.RETRYING, Cohort.LEGACY);
    var verdict = new ContractEvent.RepaymentDeadlinePassed("deadline", T0.plusSeconds(86_400 * 30), FAILED);
    var stampedBefore = new ContractEvent.PaymentSucceeded("paid", T0.plusSeconds(86_400 * 30 - 60),
        Fixtures.attempt(FAILED, ChargeKind.SUPPORTER_REPAYMENT, 1), 3000);
    var cancelled = retrying.apply(verdict).contract();

    var outcome = cancelled.apply(stampedBefore);

    assertThat(cancelled.status()).isEqualTo(Status.CANCELLED);
    assertThat(cancelled.cancellationReason()).isEqualTo(Contract.LEGACY_DEADLINE_CANCELLATION);
    assertThat(outcome.result()).isEqualTo(Outcome.Result.NO_EFFECT);
    assertThat(outcome.contract().status()).isEqualTo(Status.CANCELLED);
  }

  @Test
  void aPaymentAfterTheDeadlinesCancellationOrAfterAnAdministratorsHasNoEffect() {
    var cancelled = Fixtures.inStatus(Status.RETRYING, Cohort.LEGACY)
        .apply(new ContractEvent.RepaymentDeadlinePassed("deadline", T0.plusSeconds(86_400 * 30), FAILED)).contract();
    var paidAfter = new ContractEvent.PaymentSucceeded("paid", T0.plusSeconds(86_400 * 30 + 60),
        Fixtures.attempt(FAILED, ChargeKind.SUPPORTER_REPAYMENT, 1), 3000);
    var byAdministrator = Fixtures.inStatus(Status.CANCELLED, Cohort.LEGACY);
    var paidBeforeTheAdministrator = new ContractEvent.PaymentSucceeded("paid-2", T0.minusSeconds(60),
        Fixtures.attempt(FAILED, ChargeKind.SUPPORTER_REPAYMENT, 1), 3000);

    assertThat(cancelled.apply(paidAfter).result()).isEqualTo(Outcome.Result.NO_EFFECT);
    assertThat(byAdministrator.apply(paidBeforeTheAdministrator).result()).isEqualTo(Outcome.Result.NO_EFFECT);
  }

  @Test
  void aChargeBillingRefusedIsRecordedAndMovesNoStatus() {
    var retrying = Fixtures.inStatus(Status.RETRYING, Cohort.CURRENT);
    var refused = new ContractEvent.PaymentFailed("refused", T0.plusSeconds(86_400 * 7),
        Fixtures.attempt(FAILED, ChargeKind.AUTO_RETRY, 1), 3000,
        new Failure("period_already_paid", "REFUSED", T0.plusSeconds(86_400 * 7)));

    var outcome = retrying.apply(refused);

    assertThat(outcome.result()).isEqualTo(Outcome.Result.NO_EFFECT);
    assertThat(outcome.contract()).isSameAs(retrying);
    assertThat(outcome.reason()).contains("period_already_paid");
  }

  /**
   * Billing refused the manual retry when it ran (the attempt budget, a card that needs replacing):
   * it is no longer pending, or the console would show it waiting for ever. Nothing else changes:
   * a refusal is no attempt and no failure of the card.
   */
  @Test
  void aManualRetryBillingRefusedWhenItRanIsNoLongerPending() {
    var error = Fixtures.inStatus(Status.ERROR, Cohort.CURRENT);
    var ranAt = error.pendingManualRetry().runAt().plusSeconds(5);
    var refused = new ContractEvent.PaymentFailed("refused-m", ranAt, Fixtures.attempt(FAILED, ChargeKind.MANUAL_RETRY, 4), 3000,
        new Failure("attempt_budget_exceeded", "REFUSED", ranAt));

    var outcome = error.apply(refused);

    assertThat(outcome.result()).isEqualTo(Outcome.Result.APPLIED);
    var after = outcome.contract();
    assertThat(after.pendingManualRetry()).isNull();
    assertThat(after.status()).isEqualTo(Status.ERROR);
    assertThat(after.statusSince()).isEqualTo(error.statusSince());
    assertThat(after.lastFailure()).isEqualTo(error.lastFailure());
    assertThat(after.attemptsInPeriod()).isEqualTo(error.attemptsInPeriod());
    assertThat(outcome.effects()).containsExactly(new Effect.StatusChanged(Status.ERROR, Status.ERROR));
    assertThat(error.apply(new ContractEvent.PaymentFailed("refused-early", ranAt.minusSeconds(86_400 * 9),
        Fixtures.attempt(FAILED, ChargeKind.MANUAL_RETRY, 3), 3000, new Failure("charge_in_progress", "REFUSED", ranAt)))
        .result()).as("an older manual retry's refusal leaves the pending one").isEqualTo(Outcome.Result.NO_EFFECT);
  }

  @Test
  void aManualRetryMovedToALaterDateStaysPendingWhenTheEarlierOneFails() {
    var inError = Fixtures.inStatus(Status.ERROR, Cohort.CURRENT); // a manual retry pending for T0 + 52 days
    var moved = inError.apply(new ContractEvent.ManualRetryRequested("moved", T0.plusSeconds(86_400 * 51), Fixtures.ADMIN,
        java.time.LocalDate.of(2027, 1, 20), T0.plusSeconds(86_400 * 80))).contract();
    var earlierFailed = new ContractEvent.PaymentFailed("failed", T0.plusSeconds(86_400 * 52),
        Fixtures.attempt(FAILED, ChargeKind.MANUAL_RETRY, 4), 3000, new Failure("card_declined", "SOFT_DECLINE", T0));
    var dueFailed = new ContractEvent.PaymentFailed("failed-2", T0.plusSeconds(86_400 * 80),
        Fixtures.attempt(FAILED, ChargeKind.MANUAL_RETRY, 5), 3000, new Failure("card_declined", "SOFT_DECLINE", T0));

    var afterEarlier = moved.apply(earlierFailed).contract();

    assertThat(afterEarlier.pendingManualRetry()).isEqualTo(moved.pendingManualRetry());
    assertThat(afterEarlier.apply(dueFailed).contract().pendingManualRetry()).isNull();
  }
}
