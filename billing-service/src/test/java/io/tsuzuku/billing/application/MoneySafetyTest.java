package io.tsuzuku.billing.application;

import static io.tsuzuku.billing.application.BillingFixture.PERIOD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.schemas.AttemptIds;
import io.tsuzuku.billing.domain.Attempt;
import io.tsuzuku.billing.domain.ChargeKind;
import io.tsuzuku.billing.domain.Cohort;
import io.tsuzuku.billing.domain.ContractStatus;
import io.tsuzuku.billing.domain.DeclineOverrides;
import io.tsuzuku.billing.domain.FailureClass;
import io.tsuzuku.billing.domain.Ledger;
import io.tsuzuku.schemas.RepaymentLinks;
import io.tsuzuku.schemas.UnprocessableRecordException;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ways a period could be paid twice, a cancelled contract charged, or an outcome lost, each
 * tried against billing's use cases (docs/ledger.md). Every test failed on the billing-service before
 * it became the ledger of record.
 */
class MoneySafetyTest {

  private final BillingFixture billing = new BillingFixture();

  @AfterEach
  void close() {
    billing.close();
  }

  @Test
  void aDoubleClickedRepaymentARetryAndAStaleRepaymentLinkChargeThePeriodOnce() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);
    billing.at(PERIOD.plusDays(10), LocalTime.of(14, 0));

    billing.charges.repaymentSubmitted("repay-1", "c-1", "org-1", PERIOD, "tok_ok");
    billing.charges.repaymentSubmitted("repay-2", "c-1", "org-1", PERIOD, "tok_ok");
    billing.charges.retryRequested(AttemptIds.of("c-1", PERIOD, (ChargeKind.AUTO_RETRY).name(), 2), "c-1", "org-1",
        ChargeKind.AUTO_RETRY, 2, PERIOD, "retry-2");
    billing.status("c-1", ContractStatus.ACTIVE, 3);
    billing.at(PERIOD.plusDays(20), LocalTime.of(14, 0));
    billing.charges.repaymentSubmitted("repay-old-link", "c-1", "org-1", PERIOD, null);

    assertThat(billing.chargedFor("c-1", PERIOD)).isEqualTo(1);
    assertThat(billing.outcomes("c-1")).containsExactly("failed card_declined", "paid SUPPORTER_REPAYMENT",
        "failed period_already_paid", "failed period_already_paid", "failed period_already_paid");
  }

  @Test
  void aRetryDispatchedWhileARepaymentIsAtTheProcessorIsRefusedNotCharged() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);
    billing.at(PERIOD.plusDays(10), LocalTime.of(10, 0));
    billing.processorTimesOut = true; // the re-payment is at the processor, its answer not back yet
    billing.charges.repaymentSubmitted("repay-1", "c-1", "org-1", PERIOD, "tok_ok");
    billing.processorTimesOut = false;

    var retry = billing.charges.retryRequested(AttemptIds.of("c-1", PERIOD, (ChargeKind.AUTO_RETRY).name(), 2), "c-1", "org-1",
        ChargeKind.AUTO_RETRY, 2, PERIOD, "retry-2");
    billing.attempts.reconcile();

    assertThat(retry.failureCode()).isEqualTo("charge_in_progress");
    assertThat(billing.chargedFor("c-1", PERIOD)).isEqualTo(1);
    assertThat(billing.outcomes("c-1")).endsWith("paid SUPPORTER_REPAYMENT");
  }

  @Test
  void aCancellationThatArrivesBeforeTheRegistrationIsKeptAndNothingIsCharged() {
    billing.status("c-1", ContractStatus.CANCELLED, 4);
    billing.register("c-1", Cohort.CURRENT, "tok_ok", PERIOD);
    billing.at(PERIOD, LocalTime.of(9, 0));

    assertThat(billing.charges.runIfDue("instance-a")).isZero();
    assertThat(billing.contract("c-1").status()).isEqualTo(ContractStatus.CANCELLED);
    assertThat(billing.charged).isEmpty();
  }

  @Test
  void anOlderSnapshotDeliveredLateNeverUndoesANewerStatus() {
    billing.register("c-1", Cohort.CURRENT, "tok_ok", PERIOD.plusMonths(1));
    billing.status("c-1", ContractStatus.CANCELLED, 5);
    billing.status("c-1", ContractStatus.ACTIVE, 3);
    billing.status("c-1", ContractStatus.ACTIVE, 9);

    assertThat(billing.contract("c-1").status()).isEqualTo(ContractStatus.CANCELLED);
    assertThat(billing.contract("c-1").statusVersion()).isEqualTo(9);
  }

  @Test
  void anOutcomeIsSavedWithTheAttemptAndRelayedAfterTheBrokerComesBack() {
    billing.register("c-1", Cohort.CURRENT, "tok_ok", PERIOD);
    billing.at(PERIOD, LocalTime.of(9, 0));
    billing.charges.runIfDue("instance-a"); // the broker is down: nothing relayed yet

    assertThat(billing.published).isEmpty();
    assertThat(billing.contract("c-1").attempts()).singleElement().satisfies(a -> assertThat(a.reference()).isNotNull());
    assertThat(billing.outcomes("c-1")).containsExactly("paid SCHEDULED");
  }

  @Test
  void anAttemptLeftInFlightByACrashIsReconciledByReadingNeverChargedAgain() {
    billing.register("c-1", Cohort.CURRENT, "tok_ok", PERIOD);
    billing.at(PERIOD, LocalTime.of(9, 0));
    billing.processorTimesOut = true; // charged, but the answer never came back
    billing.charges.runIfDue("instance-a");

    assertThat(billing.contract("c-1").inFlight()).isNotNull();
    assertThat(billing.attempts.reconcile()).isEqualTo(1);

    assertThat(billing.chargedFor("c-1", PERIOD)).isEqualTo(1);
    assertThat(billing.contract("c-1").inFlight()).isNull();
    assertThat(billing.contract("c-1").nextChargeOn()).isEqualTo(PERIOD.plusMonths(1));
    assertThat(billing.outcomes("c-1")).containsExactly("paid SCHEDULED");
  }

  @Test
  void anAttemptTheProcessorNeverSawIsFailedAfterAWhileNotChargedBlind() {
    billing.register("c-1", Cohort.CURRENT, "tok_timeout", PERIOD);
    billing.at(PERIOD, LocalTime.of(9, 0));
    billing.charges.runIfDue("instance-a");

    assertThat(billing.attempts.reconcile()).as("too early to say").isZero();
    billing.at(PERIOD, LocalTime.of(9, 11));
    assertThat(billing.attempts.reconcile()).isEqualTo(1);

    assertThat(billing.charged).isEmpty();
    assertThat(billing.outcomes("c-1")).containsExactly("failed not_charged");
  }

  @Test
  void aDailyRunThatDiesMidwayIsResumedByAnotherInstanceOnceItsLeaseEnds() {
    for (int i = 0; i < 1_200; i++) {
      billing.register("c-%04d".formatted(i), Cohort.CURRENT, "tok_ok", PERIOD);
    }
    billing.at(PERIOD, LocalTime.of(9, 0));
    billing.store.dieAfterWrites(700); // instance a dies in its second batch
    assertThatThrownBy(() -> billing.charges.runIfDue("instance-a")).hasStackTraceContaining("died");

    assertThat(billing.charges.runIfDue("instance-b")).as("a's lease still holds").isZero();
    billing.at(PERIOD, LocalTime.of(9, 6));
    billing.charges.runIfDue("instance-b");
    billing.attempts.reconcile();

    assertThat(billing.charged).hasSize(1_200);
    assertThat(billing.store.dueOn(PERIOD, null, 10)).isEmpty();
  }

  @Test
  void anOrganisationThatTreatsADeclineAsNeedingANewCardRetriesItNoMoreByAnyPath() {
    var stricter = new ChargeAttempts(billing.ledger, billing.store, billing.processor, billing.clock, BillingFixture.TOKYO,
        Duration.ofMinutes(10), Duration.ofHours(1), attempt -> {},
        new DeclineOverrides(Map.of("org-1", Map.of("insufficient_funds", FailureClass.HARD_DECLINE))), billing.store);
    billing.register("c-1", Cohort.CURRENT, "tok_decline_insufficient_funds", PERIOD);
    billing.at(PERIOD, LocalTime.of(9, 0));
    var requests = new AtomicInteger();
    billing.duringCharge = requests::incrementAndGet;

    var scheduled = stricter.charge("c-1", "org-1", contract -> new Ledger.Request(
        AttemptIds.of("c-1", PERIOD, ChargeKind.SCHEDULED.name(), 0), ChargeKind.SCHEDULED, 0, PERIOD, null));
    billing.status("c-1", ContractStatus.ERROR, 2);
    var manual = manualRetry("c-1", 1);

    assertThat(scheduled.failureClass()).isEqualTo(FailureClass.HARD_DECLINE);
    assertThat(manual.failureCode()).isEqualTo("new_card_required");
    assertThat(requests).as("requests to the processor").hasValue(1);
  }

  @Test
  void aCardGivenToTwoContractsIsChargedNoMoreOftenThanTheNetworksAllowAcrossBoth() {
    billing.register("c-1", Cohort.CURRENT, "tok_decline_insufficient_funds", PERIOD);
    billing.register("c-2", Cohort.CURRENT, "tok_decline_insufficient_funds", PERIOD);
    billing.at(PERIOD, LocalTime.of(9, 0));
    billing.charges.runIfDue("instance-a");
    billing.status("c-1", ContractStatus.ERROR, 3);
    billing.status("c-2", ContractStatus.ERROR, 3);
    var requests = new AtomicInteger();
    billing.duringCharge = requests::incrementAndGet;
    for (int n = 1; n <= 13; n++) { // 2 scheduled charges and 13 retries: the card's 15 attempts in 30 days
      billing.at(PERIOD.plusDays(n), LocalTime.of(10, 0));
      manualRetry(n % 2 == 0 ? "c-2" : "c-1", n);
    }

    billing.at(PERIOD.plusDays(20), LocalTime.of(10, 0));
    var sixteenth = manualRetry("c-2", 14);
    billing.at(PERIOD.plusDays(31), LocalTime.of(9, 1));
    var afterTheFirstLeftTheWindow = manualRetry("c-2", 15);

    assertThat(sixteenth.failureCode()).as("c-2 made only 7 of the card's attempts").isEqualTo("attempt_budget_exceeded");
    assertThat(afterTheFirstLeftTheWindow.failureCode()).isEqualTo("insufficient_funds");
    assertThat(requests).as("requests to the processor").hasValue(14);
  }

  private Attempt manualRetry(String contractId, int number) {
    return billing.charges.retryRequested(AttemptIds.of(contractId, PERIOD, ChargeKind.MANUAL_RETRY.name(), number), contractId,
        "org-1", ChargeKind.MANUAL_RETRY, number, PERIOD, "manual-" + contractId + "-" + number);
  }

  @Test
  void noOrganisationMayRetryADeclineTheTableSaysNeedsANewCard() {
    assertThatThrownBy(() -> new DeclineOverrides(Map.of("org-1", Map.of("do_not_try_again", FailureClass.SOFT_DECLINE))))
        .hasMessageContaining("do_not_try_again").hasMessageContaining("no organisation may soften");
  }

  @Test
  void aRunWhoseChargesOutlastItsLeaseKeepsItsDayWhileTheyAreAtTheProcessor() {
    for (int i = 0; i < 20; i++) {
      billing.register("c-%02d".formatted(i), Cohort.CURRENT, "tok_ok", PERIOD);
    }
    billing.at(PERIOD, LocalTime.of(9, 0));
    var takenOver = new java.util.concurrent.CopyOnWriteArrayList<Boolean>();
    billing.duringCharge = () -> {
      billing.clock.advance(Duration.ofMinutes(1)); // a slow processor: a minute a charge, 20 in one batch
      takenOver.add(billing.store.claim(PERIOD, "instance-b", billing.clock.instant(), Duration.ofMinutes(5)).isPresent());
    };

    assertThat(billing.charges.runIfDue("instance-a")).isEqualTo(20);
    assertThat(takenOver).as("instance b took the day over while a's charges were at the processor").hasSize(20).containsOnly(false);
  }

  @Test
  void aChargeThatSucceedsAfterTheCancellationRequiresARefund() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);
    billing.at(PERIOD.plusDays(40), LocalTime.of(10, 0));
    billing.processorTimesOut = true; // a manual retry is at the processor
    billing.charges.retryRequested(AttemptIds.of("c-1", PERIOD, (ChargeKind.MANUAL_RETRY).name(), 4), "c-1", "org-1",
        ChargeKind.MANUAL_RETRY, 4, PERIOD, "manual-4");
    billing.status("c-1", ContractStatus.CANCELLED, 9); // the administrator cancels meanwhile
    billing.at(PERIOD.plusDays(40), LocalTime.of(10, 1));
    billing.attempts.reconcile();

    assertThat(billing.outcomes("c-1")).endsWith("paid MANUAL_RETRY", "refund charged_after_cancellation");
    assertThat(billing.contract("c-1").refundsDue()).hasSize(1);

    // the organisation's refund policy is automatic: the refund goes to the processor, once
    assertThat(billing.refunds.issueDue()).isEqualTo(1);
    assertThat(billing.refunds.issueDue()).isZero();
    assertThat(billing.simulator.refunds()).isEqualTo(1);
    assertThat(billing.contract("c-1").refundsDue()).isEmpty();
    assertThat(billing.outcomes("c-1")).endsWith("refund charged_after_cancellation", "refunded true");
  }

  /**
   * Stripe answers a refund "pending" and may fail it later (the card closed): a pending refund is
   * not an issued one. It is looked at again until the processor says how it ended; a failed one
   * stays owed, is not sent again, and the administrators are told ({@code RefundFailed}) to refund
   * it by hand.
   */
  @Test
  void aRefundIsIssuedOnlyOnceTheProcessorSaysItSucceededAndAFailedOneStaysOwed() {
    chargedAfterCancellation("c-1", "org-1");
    chargedAfterCancellation("c-2", "org-1");

    billing.refundAnswer = new io.tsuzuku.billing.application.port.PaymentProcessor.Result.Pending("re_pending");
    assertThat(billing.refunds.issueDue()).isZero();
    assertThat(billing.contract("c-1").refundsDue()).hasSize(1);
    assertThat(billing.outcomes("c-1")).doesNotContain("refunded true", "refunded false");

    billing.refundAnswer = new io.tsuzuku.billing.application.port.PaymentProcessor.Result.Declined("expired_or_canceled_card",
        FailureClass.PROCESSOR_ERROR, "refund re_pending failed");
    assertThat(billing.refunds.issueDue()).isZero();
    billing.refundAnswer = null;
    assertThat(billing.refunds.issueDue()).as("a failed refund is not sent again").isZero();
    assertThat(billing.contract("c-1").refundsDue()).as("still owed, for the administrators").hasSize(1);
    assertThat(billing.outcomes("c-1")).noneMatch(o -> o.startsWith("refunded"))
        .as("the administrators are told, once").containsOnlyOnce("refund failed expired_or_canceled_card: refund re_pending failed");
  }

  /**
   * Refunds of organisations that settle them by hand stay due in billing's book; however many of
   * them there are, an organisation whose refunds are automatic still gets its own issued.
   */
  @Test
  void aBacklogOfHandSettledRefundsNeverStarvesAnAutomaticOrganisation() {
    var handSettled = Refunds.BATCH_PER_ORGANISATION + 1;
    for (int i = 0; i < handSettled; i++) {
      chargedAfterCancellation("c-hand-" + i, "org-by-hand");
    }
    chargedAfterCancellation("c-auto", "org-1");

    assertThat(billing.refunds.issueDue()).isEqualTo(1);
    assertThat(billing.contract("c-auto").refundsDue()).isEmpty();
    assertThat(billing.contract("c-hand-0").refundsDue()).hasSize(1);
  }

  /**
   * An administrator gave the money back by hand and settled the refund: billing never refunds it
   * again, even once the organisation's refunds become automatic, and a settlement told twice is
   * one settlement.
   */
  @Test
  void aRefundSettledByHandIsNeverRefundedAutomaticallyEvenAfterTheOrganisationSwitchesToAutomatic() {
    chargedAfterCancellation("c-hand", "org-by-hand");
    var attemptId = billing.contract("c-hand").refundsDue().get(0).attemptId();

    billing.refunds.settled("c-hand", "org-by-hand", attemptId);
    billing.refunds.settled("c-hand", "org-by-hand", attemptId);
    var switched = new Refunds(billing.ledger, billing.store, billing.processor, billing.clock, java.util.Set.of("org-1", "org-by-hand"));

    assertThat(switched.issueDue()).isZero();
    assertThat(billing.simulator.refunds()).isZero();
    assertThat(billing.contract("c-hand").refundsDue()).isEmpty();
    assertThatThrownBy(() -> billing.refunds.settled("c-hand", "org-other", attemptId))
        .isInstanceOf(UnprocessableRecordException.class);
  }

  private void chargedAfterCancellation(String contractId, String orgId) {
    billing.book.registered(io.tsuzuku.billing.domain.BilledContract.registration(contractId, orgId, Cohort.CURRENT,
        BillingFixture.MONTHLY_1ST, 3000, "tok_ok", PERIOD));
    billing.at(PERIOD, LocalTime.of(9, 0));
    billing.charges.scheduled(billing.contract(contractId), PERIOD);
    billing.book.statusChanged(contractId, orgId, ContractStatus.CANCELLED, 9,
        PERIOD.atTime(8, 0).atZone(BillingFixture.TOKYO).toInstant());
  }

  @Test
  void aCancellationThatArrivesAfterALaterChargeStillRequiresItsRefund() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);
    var cancelledAt = PERIOD.plusDays(40).atTime(10, 0).atZone(BillingFixture.TOKYO).toInstant();
    billing.at(PERIOD.plusDays(40), LocalTime.of(10, 5));
    billing.charges.repaymentSubmitted("repay-1", "c-1", "org-1", PERIOD, "tok_ok");
    billing.book.statusChanged("c-1", "org-1", ContractStatus.CANCELLED, 9, cancelledAt);

    assertThat(billing.outcomes("c-1")).endsWith("paid SUPPORTER_REPAYMENT", "refund charged_after_cancellation");
  }

  @Test
  void aLegacyRepaymentThatSucceededBeforeItsDeadlineKeepsTheContract() {
    billing.failedScheduledCharge("c-1", Cohort.LEGACY);
    billing.at(PERIOD.plusMonths(1).minusDays(1), LocalTime.of(23, 0));
    billing.charges.repaymentSubmitted("repay-1", "c-1", "org-1", PERIOD, "tok_ok");
    billing.at(PERIOD.plusMonths(1), LocalTime.of(0, 0, 5));
    billing.charges.repaymentDeadlineDue("c-1", "org-1", PERIOD);

    assertThat(billing.contract("c-1").status()).isNotEqualTo(ContractStatus.CANCELLED);
    assertThat(billing.contract("c-1").nextChargeOn()).isEqualTo(PERIOD.plusMonths(1));
    assertThat(billing.outcomes("c-1")).endsWith("paid SUPPORTER_REPAYMENT");
  }

  /**
   * The supporter re-pays at 23:59:59 on the deadline's eve, the processor answers at 00:00:01, the
   * deadline falls due in between: the ledger that took the money decides, once, and the
   * re-payment wins. No verdict is published, so no service shows the contract cancelled.
   */
  @Test
  void aLegacyRepaymentAtTheProcessorAsItsDeadlinePassesKeepsTheContractWhenItSucceeds() {
    var deadline = repaidOnTheDeadlinesEveAnsweredAfterItsTimer("tok_ok");
    billing.at(deadline, LocalTime.of(0, 0, 1));
    billing.attempts.reconcile();
    billing.charges.repaymentDeadlineDue("c-1", "org-1", PERIOD); // the timer's record delivered again

    assertThat(billing.outcomes("c-1")).containsExactly("failed card_declined", "paid SUPPORTER_REPAYMENT");
    assertThat(billing.contract("c-1").isCancelled()).isFalse();
    assertThat(billing.contract("c-1").nextChargeOn()).isAfter(deadline);
  }

  @Test
  void aLegacyRepaymentAtTheProcessorAsItsDeadlinePassesThatFailsLapsesTheContractOnItsAnswer() {
    var deadline = repaidOnTheDeadlinesEveAnsweredAfterItsTimer("tok_decline_insufficient_funds");
    assertThat(billing.outcomes("c-1")).doesNotContain("deadline missed");
    billing.at(deadline, LocalTime.of(0, 0, 1));
    billing.attempts.reconcile();

    assertThat(billing.outcomes("c-1")).containsExactly("failed card_declined", "failed insufficient_funds", "deadline missed");
    assertThat(billing.contract("c-1").isCancelled()).isTrue();
    var late = billing.charges.repaymentSubmitted("repay-2", "c-1", "org-1", PERIOD, "tok_ok");
    assertThat(late.failureCode()).isEqualTo("contract_cancelled");
    assertThat(billing.charged).isEmpty();
  }

  /**
   * A legacy contract re-paid with {@code card} at 23:59:59 on its deadline's eve, the processor's
   * answer not back when the timer says the deadline is due (half a second after midnight).
   *
   * @return the deadline's day
   */
  private java.time.LocalDate repaidOnTheDeadlinesEveAnsweredAfterItsTimer(String card) {
    billing.failedScheduledCharge("c-1", Cohort.LEGACY);
    var deadline = PERIOD.plusMonths(1);
    billing.at(deadline.minusDays(1), LocalTime.of(23, 59, 59));
    billing.processorTimesOut = true;
    billing.charges.repaymentSubmitted("repay-1", "c-1", "org-1", PERIOD, card);
    billing.processorTimesOut = false;
    billing.at(deadline.atTime(0, 0, 0, 500_000_000));
    billing.charges.repaymentDeadlineDue("c-1", "org-1", PERIOD);
    return deadline;
  }

  /**
   * The retry-service's clock runs seconds ahead of billing's: its deadline timer fires while a
   * re-payment is at the processor and billing's date has not reached the deadline, and the
   * re-payment is then declined before billing's midnight. The timer's record must not pass as
   * handled (nothing else would ever decide the deadline): tried again once billing's date reaches
   * it, it lapses the contract.
   */
  @Test
  void aLegacyDeadlineDueWhileARepaymentIsAtTheProcessorIsNotTakenBeforeBillingsDateReachesIt() {
    billing.failedScheduledCharge("c-1", Cohort.LEGACY);
    var deadline = PERIOD.plusMonths(1);
    billing.at(deadline.minusDays(1), LocalTime.of(23, 59, 57));
    billing.processorTimesOut = true;
    billing.charges.repaymentSubmitted("repay-1", "c-1", "org-1", PERIOD, "tok_decline_insufficient_funds");
    billing.processorTimesOut = false;
    billing.at(deadline.minusDays(1), LocalTime.of(23, 59, 58));

    assertThatThrownBy(() -> billing.charges.repaymentDeadlineDue("c-1", "org-1", PERIOD))
        .as("billing's date has not reached the deadline: nothing decided, tried again").isInstanceOf(IllegalStateException.class);
    billing.attempts.reconcile(); // the decline comes back before billing's midnight
    assertThat(billing.contract("c-1").isCancelled()).isFalse();
    billing.at(deadline, LocalTime.of(0, 0, 1));
    billing.charges.repaymentDeadlineDue("c-1", "org-1", PERIOD);

    assertThat(billing.outcomes("c-1")).containsExactly("failed card_declined", "failed insufficient_funds", "deadline missed");
    assertThat(billing.contract("c-1").isCancelled()).isTrue();
  }

  @Test
  void aLegacyDeadlineWithNothingPaidLapsesTheContractOnceAndNotBeforeBillingsDateReachesIt() {
    billing.failedScheduledCharge("c-1", Cohort.LEGACY);
    var deadline = PERIOD.plusMonths(1);
    billing.at(deadline.minusDays(1), LocalTime.of(23, 59, 59));
    assertThatThrownBy(() -> billing.charges.repaymentDeadlineDue("c-1", "org-1", PERIOD))
        .as("another service's clock ran ahead: nothing decided, tried again").isInstanceOf(IllegalStateException.class);
    assertThat(billing.contract("c-1").isCancelled()).isFalse();

    billing.at(deadline, LocalTime.of(0, 0, 1));
    billing.charges.repaymentDeadlineDue("c-1", "org-1", PERIOD);
    billing.charges.repaymentDeadlineDue("c-1", "org-1", PERIOD);

    assertThat(billing.outcomes("c-1")).containsExactly("failed card_declined", "deadline missed");
    assertThat(billing.contract("c-1").isCancelled()).isTrue();
    assertThat(billing.contract("c-1").nextChargeOn()).isNull();
    // the status-service's snapshot of the cancellation it applied finds billing's verdict already
    billing.status("c-1", ContractStatus.CANCELLED, 3);
    assertThat(billing.outcomes("c-1")).containsExactly("failed card_declined", "deadline missed");
  }

  /**
   * A deadline timer's record for the outstanding period a week before its deadline is no clock
   * running seconds ahead but a record that cannot be true: it is set aside with its reason, not
   * tried again for a week while billing's other records of its partition wait behind it.
   */
  @Test
  void aLegacyDeadlineRecordFarAheadOfBillingsDateIsUnprocessableAndChangesNothing() {
    billing.failedScheduledCharge("c-1", Cohort.LEGACY);
    var deadline = PERIOD.plusMonths(1);
    billing.at(deadline.minusDays(7), LocalTime.of(10, 0));

    assertThatThrownBy(() -> billing.charges.repaymentDeadlineDue("c-1", "org-1", PERIOD))
        .isInstanceOf(UnprocessableRecordException.class).hasMessageContaining("not due before");
    billing.at(deadline.minusDays(1), LocalTime.of(23, 59, 30));
    assertThatThrownBy(() -> billing.charges.repaymentDeadlineDue("c-1", "org-1", PERIOD))
        .as("seconds early: another clock ahead, tried again").isInstanceOf(IllegalStateException.class)
        .isNotInstanceOf(UnprocessableRecordException.class);
    assertThat(billing.contract("c-1").isCancelled()).isFalse();
    assertThat(billing.outcomes("c-1")).containsExactly("failed card_declined");
  }

  @Test
  void aCurrentContractNeverLapsesOnADeadline() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);
    billing.at(PERIOD.plusMonths(1), LocalTime.of(0, 1));

    billing.charges.repaymentDeadlineDue("c-1", "org-1", PERIOD);

    assertThat(billing.contract("c-1").isCancelled()).isFalse();
    assertThat(billing.outcomes("c-1")).containsExactly("failed card_declined");
  }

  /**
   * Card networks fine merchants who retry a card whose holder revoked the mandate: after such a
   * decline nothing is charged on that card again, by any path, until the supporter gives a new one.
   */
  @Test
  void aDeclineThatNeedsANewCardRefusesEveryChargeOnThatCardUntilTheSupporterGivesANewOne() {
    billing.scheduledCharge("c-1", Cohort.CURRENT, "tok_decline_revocation_of_all_authorizations");
    billing.at(PERIOD.plusDays(7), LocalTime.of(10, 0));

    var retry = billing.charges.retryRequested(AttemptIds.of("c-1", PERIOD, ChargeKind.AUTO_RETRY.name(), 1), "c-1", "org-1",
        ChargeKind.AUTO_RETRY, 1, PERIOD, "retry-1");
    var manual = billing.charges.retryRequested(AttemptIds.of("c-1", PERIOD, ChargeKind.MANUAL_RETRY.name(), 4), "c-1", "org-1",
        ChargeKind.MANUAL_RETRY, 4, PERIOD, "manual-4");
    var sameCard = billing.charges.repaymentSubmitted("repay-1", "c-1", "org-1", PERIOD, null);
    var newCard = billing.charges.repaymentSubmitted("repay-2", "c-1", "org-1", PERIOD, "tok_ok");

    assertThat(List.of(retry, manual, sameCard)).extracting(a -> a.failureCode()).containsOnly("new_card_required");
    assertThat(newCard.state()).isEqualTo(Attempt.State.SUCCEEDED);
    assertThat(billing.outcomes("c-1")).containsExactly("failed revocation_of_all_authorizations", "failed new_card_required",
        "failed new_card_required", "failed new_card_required", "paid SUPPORTER_REPAYMENT");
    assertThat(billing.charged).containsOnlyKeys(newCard.attemptId());
  }

  /**
   * A re-payment's new card is taken with the re-payment it pays, in one write: a refused one
   * changes nothing, so billing and the status-service (which records the refusal with no effect)
   * agree the card on file still needs replacing.
   */
  @Test
  void aRefusedRepaymentLeavesTheCardOnFileAsItWas() {
    billing.scheduledCharge("c-1", Cohort.CURRENT, "tok_decline_stolen_card");
    billing.at(PERIOD.plusDays(3), LocalTime.of(10, 0));

    var wrongPeriod = billing.charges.repaymentSubmitted("repay-1", "c-1", "org-1", PERIOD.minusMonths(1), "tok_ok");
    var manual = billing.charges.retryRequested(AttemptIds.of("c-1", PERIOD, ChargeKind.MANUAL_RETRY.name(), 4), "c-1", "org-1",
        ChargeKind.MANUAL_RETRY, 4, PERIOD, "manual-4");

    assertThat(wrongPeriod.failureCode()).isEqualTo("period_not_outstanding");
    assertThat(billing.contract("c-1").paymentMethodToken()).isEqualTo("tok_decline_stolen_card");
    assertThat(manual.failureCode()).isEqualTo("new_card_required");
    assertThat(billing.charged).isEmpty();
  }

  /**
   * A re-payment link (docs/ledger.md, "Re-payment links") pays its contract's period once: the
   * re-payment it brought delivered again is the same attempt, but another re-payment with the same
   * link is refused, even though the first was declined and the period is still outstanding.
   */
  @Test
  void aRepaymentLinkIsUsedByItsFirstRepaymentAndRefusedToAnyOther() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);
    billing.at(PERIOD.plusDays(3), LocalTime.of(10, 0));
    var link = link("request-1:c-1", "org-1", "c-1", PERIOD, Duration.ofDays(14));

    var first = billing.charges.repaymentSubmitted("repay-1", "c-1", "org-1", PERIOD, "tok_decline_insufficient_funds", link);
    var redelivered = billing.charges.repaymentSubmitted("repay-1", "c-1", "org-1", PERIOD, "tok_decline_insufficient_funds", link);
    var again = billing.charges.repaymentSubmitted("repay-2", "c-1", "org-1", PERIOD, "tok_ok", link);
    var withoutTheLink = billing.charges.repaymentSubmitted("repay-3", "c-1", "org-1", PERIOD, "tok_ok");

    assertThat(redelivered.attemptId()).isEqualTo(first.attemptId());
    assertThat(again.failureCode()).isEqualTo("link_already_used");
    assertThat(billing.outcomes("c-1")).containsExactly("failed card_declined", "failed insufficient_funds",
        "failed link_already_used", "paid SUPPORTER_REPAYMENT");
    assertThat(billing.chargedFor("c-1", PERIOD)).isEqualTo(1);
  }

  /**
   * A link works for the organisation, contract and period it was made for, until it expires, and
   * only if the status-service made it: any other is refused with its reason and changes nothing,
   * not even the card on file.
   */
  @Test
  void aRepaymentLinkExpiredMadeForAnotherPaymentOrForgedIsRefusedAndChangesNothing() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);
    billing.at(PERIOD.plusDays(3), LocalTime.of(10, 0));
    var card = billing.contract("c-1").paymentMethodToken();

    var anotherContract = billing.charges.repaymentSubmitted("r-1", "c-1", "org-1", PERIOD, "tok_ok",
        link("q:c-2", "org-1", "c-2", PERIOD, Duration.ofDays(14)));
    var anotherPeriod = billing.charges.repaymentSubmitted("r-2", "c-1", "org-1", PERIOD, "tok_ok",
        link("q:c-1", "org-1", "c-1", PERIOD.minusMonths(1), Duration.ofDays(14)));
    var anotherOrganisation = billing.charges.repaymentSubmitted("r-3", "c-1", "org-1", PERIOD, "tok_ok",
        link("q:c-1", "org-2", "c-1", PERIOD, Duration.ofDays(14)));
    var forged = billing.charges.repaymentSubmitted("r-4", "c-1", "org-1", PERIOD, "tok_ok", new Ledger.LinkPresented(null));
    var expired = billing.charges.repaymentSubmitted("r-5", "c-1", "org-1", PERIOD, "tok_ok",
        link("q:c-1", "org-1", "c-1", PERIOD, Duration.ofSeconds(-1)));

    assertThat(List.of(anotherContract, anotherPeriod, anotherOrganisation, forged, expired)).extracting(Attempt::failureCode)
        .containsExactly("link_invalid", "link_invalid", "link_invalid", "link_invalid", "link_expired");
    assertThat(billing.contract("c-1").paymentMethodToken()).isEqualTo(card);
    assertThat(billing.contract("c-1").usedLinks()).isEmpty();
    assertThat(billing.charged).isEmpty();
  }

  /** What billing reads from a token the status-service signed for this payment, expiring {@code validFor} from now. */
  private Ledger.LinkPresented link(String linkId, String orgId, String contractId, java.time.LocalDate period, Duration validFor) {
    var token = LINKS.sign(new RepaymentLinks.Link(linkId, orgId, contractId, period, billing.clock.instant().plus(validFor)));
    return new Ledger.LinkPresented(LINK_KEYS.verify(token).orElseThrow());
  }

  private static final String LINK_PAIR = RepaymentLinks.generateKeyPair();
  private static final RepaymentLinks.Signer LINKS = RepaymentLinks.Signer.of("key", LINK_PAIR);
  private static final RepaymentLinks.Verifier LINK_KEYS =
      RepaymentLinks.Verifier.of("keys", LINK_PAIR.substring(LINK_PAIR.indexOf(':') + 1));

  /**
   * A supporter's new card (docs/ledger.md, "A new card for every contract") becomes the card on
   * file and charges the outstanding period once, even where the old card needed replacing; the
   * same change delivered again, before or after the answer, charges nothing more.
   */
  @Test
  void aNewCardChargesTheOutstandingPeriodOnceHoweverOftenItsChangeIsDelivered() {
    billing.scheduledCharge("c-1", Cohort.CURRENT, "tok_decline_stolen_card");
    billing.status("c-1", ContractStatus.ERROR, 5);
    billing.at(PERIOD.plusDays(30), LocalTime.of(10, 0));
    billing.processorTimesOut = true;

    var first = billing.charges.cardUpdated("change-1", "c-1", "org-1", "tok_ok", billing.clock.instant());
    var whileAtTheProcessor = billing.charges.cardUpdated("change-1", "c-1", "org-1", "tok_ok", billing.clock.instant());
    billing.processorTimesOut = false;
    billing.attempts.reconcile();
    var afterTheAnswer = billing.charges.cardUpdated("change-1", "c-1", "org-1", "tok_ok", billing.clock.instant());

    assertThat(first).get().extracting(Attempt::kind).isEqualTo(ChargeKind.SUPPORTER_REPAYMENT);
    assertThat(whileAtTheProcessor).get().extracting(Attempt::attemptId).isEqualTo(first.get().attemptId());
    assertThat(afterTheAnswer).get().extracting(Attempt::attemptId).isEqualTo(first.get().attemptId());
    assertThat(billing.chargedFor("c-1", PERIOD)).isEqualTo(1);
    assertThat(billing.contract("c-1").paymentMethodToken()).isEqualTo("tok_ok");
    assertThat(billing.outcomes("c-1")).containsExactly("failed stolen_card", "paid SUPPORTER_REPAYMENT");
  }

  @Test
  void anActiveContractTakesTheNewCardForItsNextChargeAndACancelledOneKeepsItsOwn() {
    billing.register("c-1", Cohort.CURRENT, "tok_decline_expired_card", PERIOD);
    billing.register("c-2", Cohort.CURRENT, "tok_old", PERIOD);
    billing.status("c-2", ContractStatus.CANCELLED, 4);
    billing.at(PERIOD.minusDays(3), LocalTime.of(10, 0));

    var active = billing.charges.cardUpdated("change-1", "c-1", "org-1", "tok_ok", billing.clock.instant());
    var cancelled = billing.charges.cardUpdated("change-2", "c-2", "org-1", "tok_ok", billing.clock.instant());
    billing.at(PERIOD, LocalTime.of(9, 0));
    billing.charges.runIfDue("instance-a");

    assertThat(active).isEmpty();
    assertThat(cancelled).isEmpty();
    assertThat(billing.contract("c-2").paymentMethodToken()).isEqualTo("tok_old");
    assertThat(billing.outcomes("c-1")).containsExactly("paid SCHEDULED");
    assertThat(billing.outcomes("c-2")).isEmpty();
  }

  /**
   * Two updates of the supporter's card, made from two of their contracts, reach a third in either
   * order: the card given last stays on file, and the one given before, arriving after, charges nothing.
   */
  @Test
  void aCardGivenBeforeTheOneOnFileChangesAndChargesNothing() {
    billing.scheduledCharge("c-1", Cohort.CURRENT, "tok_decline_stolen_card");
    billing.status("c-1", ContractStatus.ERROR, 5);
    billing.at(PERIOD.plusDays(30), LocalTime.of(10, 0));

    var newer = billing.charges.cardUpdated("change-2", "c-1", "org-1", "tok_decline_insufficient_funds", billing.clock.instant().plusSeconds(60));
    var older = billing.charges.cardUpdated("change-1", "c-1", "org-1", "tok_ok", billing.clock.instant());

    assertThat(newer).get().extracting(Attempt::failureCode).isEqualTo("insufficient_funds");
    assertThat(older).isEmpty();
    assertThat(billing.contract("c-1").paymentMethodToken()).isEqualTo("tok_decline_insufficient_funds");
    assertThat(billing.charged).isEmpty();
    assertThat(billing.outcomes("c-1")).containsExactly("failed stolen_card", "failed insufficient_funds");
  }

  /**
   * The new card arrives while the old one's scheduled charge is at the processor: nothing is
   * outstanding yet, so nothing is charged then; once the old card is declined, the period is
   * charged once with the new card, without waiting for a retry the decline may never allow.
   */
  @Test
  void aNewCardThatArrivesWhileTheOldOneIsAtTheProcessorPaysThePeriodOnceTheOldOneIsDeclined() {
    billing.register("c-1", Cohort.CURRENT, "tok_decline_stolen_card", PERIOD);
    billing.at(PERIOD, LocalTime.of(9, 0));
    billing.processorTimesOut = true;
    billing.charges.runIfDue("instance-a");
    billing.processorTimesOut = false;

    var given = billing.clock.instant();
    var meanwhile = billing.charges.cardUpdated("change-1", "c-1", "org-1", "tok_ok", given);
    billing.at(PERIOD, LocalTime.of(9, 5));
    billing.attempts.reconcile();
    var paidByTheAnswer = billing.outcomes("c-1");
    var again = billing.charges.cardUpdated("change-1", "c-1", "org-1", "tok_ok", given);
    billing.attempts.reconcile();

    assertThat(meanwhile).isEmpty();
    assertThat(paidByTheAnswer).as("with the old card's answer, before any redelivery")
        .containsExactly("failed stolen_card", "paid SUPPORTER_REPAYMENT");
    assertThat(again).get().extracting(Attempt::state).isEqualTo(Attempt.State.SUCCEEDED);
    assertThat(billing.outcomes("c-1")).containsExactly("failed stolen_card", "paid SUPPORTER_REPAYMENT");
    assertThat(billing.chargedFor("c-1", PERIOD)).isEqualTo(1);
  }

  /**
   * The new card arrives while an automatic retry of the old one is at the processor: its
   * re-payment is refused for the charge in progress, and made once that retry failed.
   */
  @Test
  void aNewCardRefusedForARetryInProgressPaysThePeriodOnceThatRetryFailed() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);
    billing.at(PERIOD.plusDays(7), LocalTime.of(10, 0));

    newCardPaysOnceTheOldCardsChargeFailed(() -> billing.charges.retryRequested(
        AttemptIds.of("c-1", PERIOD, ChargeKind.AUTO_RETRY.name(), 1), "c-1", "org-1", ChargeKind.AUTO_RETRY, 1, PERIOD, "retry-1"));
  }

  /** A supporter's re-payment is at the processor when the new card arrives: the card pays once that one failed. */
  @Test
  void aNewCardThatArrivesWhileARepaymentIsAtTheProcessorIsChargedOnceThatOneFailed() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);
    billing.at(PERIOD.plusDays(3), LocalTime.of(10, 0));

    newCardPaysOnceTheOldCardsChargeFailed(() -> billing.charges.repaymentSubmitted("repay-1", "c-1", "org-1", PERIOD, null));
  }

  /**
   * The old card's {@code charge} of c-1 (whose scheduled charge failed) is at the processor when
   * the new card arrives: the change's re-payment is refused for the charge in progress and made,
   * once, when that charge's answer is a decline.
   */
  private void newCardPaysOnceTheOldCardsChargeFailed(Runnable charge) {
    billing.processorTimesOut = true;
    charge.run();
    billing.processorTimesOut = false;

    var meanwhile = billing.charges.cardUpdated("change-1", "c-1", "org-1", "tok_ok", billing.clock.instant());
    billing.attempts.reconcile();

    assertThat(meanwhile).get().extracting(Attempt::failureCode).isEqualTo("charge_in_progress");
    assertThat(billing.outcomes("c-1")).containsExactly("failed card_declined", "failed charge_in_progress",
        "failed card_declined", "paid SUPPORTER_REPAYMENT");
    assertThat(billing.chargedFor("c-1", PERIOD)).isEqualTo(1);
  }

  /**
   * The re-payment form sent the supporter's new card twice, with the re-payment and as a card
   * update: the card declined once is not charged again at once for the card change.
   */
  @Test
  void aNewCardAlreadyTriedForThePeriodByTheSupportersRepaymentIsNotChargedAgainForTheCardChange() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);
    billing.at(PERIOD.plusDays(3), LocalTime.of(10, 0));

    var repayment = billing.charges.repaymentSubmitted("repay-1", "c-1", "org-1", PERIOD, "tok_decline_insufficient_funds");
    var change = billing.charges.cardUpdated("change-1", "c-1", "org-1", "tok_decline_insufficient_funds", billing.clock.instant());

    assertThat(repayment.failureCode()).isEqualTo("insufficient_funds");
    assertThat(change).isEmpty();
    assertThat(billing.outcomes("c-1")).containsExactly("failed card_declined", "failed insufficient_funds");
  }

  /** A card given hours ahead of billing's time cannot be true; kept, it would hold off every later card of the supporter. */
  @Test
  void aCardGivenFarAheadOfBillingsTimeIsUnprocessableAndChangesNothing() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);

    assertThatThrownBy(() -> billing.charges.cardUpdated("change-1", "c-1", "org-1", "tok_ok",
        billing.clock.instant().plus(Duration.ofHours(2))))
        .isInstanceOf(UnprocessableRecordException.class).hasMessageContaining("ahead of billing's time");

    assertThat(billing.contract("c-1").paymentMethodToken()).isNotEqualTo("tok_ok");
    assertThat(billing.charged).isEmpty();
  }

  @Test
  void aCardChangeNamingAnotherOrganisationIsUnprocessableAndChangesNothing() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);

    assertThatThrownBy(() -> billing.charges.cardUpdated("change-1", "c-1", "org-other", "tok_thief", billing.clock.instant()))
        .isInstanceOf(UnprocessableRecordException.class);

    assertThat(billing.contract("c-1").paymentMethodToken()).isNotEqualTo("tok_thief");
    assertThat(billing.charged).isEmpty();
  }

  @Test
  void aLegacyRepaymentAfterItsDeadlineIsRefused() {
    billing.failedScheduledCharge("c-1", Cohort.LEGACY);
    billing.at(PERIOD.plusMonths(1), LocalTime.of(0, 1));

    var repayment = billing.charges.repaymentSubmitted("repay-1", "c-1", "org-1", PERIOD, "tok_ok");

    assertThat(repayment.failureCode()).isEqualTo("repayment_deadline_passed");
    assertThat(billing.charged).isEmpty();
  }

  @Test
  void aRepaymentNamingAnotherOrganisationIsUnprocessableAndChangesNothing() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);

    assertThatThrownBy(() -> billing.charges.repaymentSubmitted("repay-1", "c-1", "org-other", PERIOD, "tok_thief"))
        .isInstanceOf(UnprocessableRecordException.class);

    assertThat(billing.contract("c-1").paymentMethodToken()).isNotEqualTo("tok_thief");
    assertThat(billing.charged).isEmpty();
  }

  @Test
  void aRefusalNeverReachesTheProcessorNorChangesTheStatus() {
    billing.register("c-1", Cohort.LEGACY, "tok_ok", PERIOD);
    billing.status("c-1", ContractStatus.RETRYING, 2);
    var before = billing.contract("c-1");

    var retry = billing.charges.retryRequested("c-1:2027-03-01:AUTO_RETRY:1", "c-1", "org-1", ChargeKind.AUTO_RETRY, 1,
        PERIOD, "retry-1");

    assertThat(retry.failureCode()).isEqualTo("legacy_contract_retry");
    assertThat(billing.charged).isEmpty();
    assertThat(billing.contract("c-1").status()).isEqualTo(before.status());
    assertThat(billing.contract("c-1").nextChargeOn()).isEqualTo(before.nextChargeOn());
  }

  @Test
  void aRecoveryYearsLaterIsNextChargedInTheFuture() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);
    billing.at(PERIOD.plusYears(3).plusDays(17), LocalTime.of(10, 0));

    billing.charges.retryRequested(AttemptIds.of("c-1", PERIOD, (ChargeKind.MANUAL_RETRY).name(), 4), "c-1", "org-1",
        ChargeKind.MANUAL_RETRY, 4, PERIOD, "manual-4");

    assertThat(billing.contract("c-1").nextChargeOn()).isEqualTo(PERIOD.plusYears(3).plusMonths(1));
  }

  @Test
  void aStatusSnapshotArrivingWhileARecoveryIsAtTheProcessorAndTheRecoveryDateDoNotOverwriteEachOther() {
    billing.failedScheduledCharge("c-1", Cohort.CURRENT);
    billing.at(PERIOD.plusDays(21), LocalTime.of(10, 0));
    billing.processorTimesOut = true; // retry 3 is at the processor
    billing.charges.retryRequested(AttemptIds.of("c-1", PERIOD, (ChargeKind.AUTO_RETRY).name(), 3), "c-1", "org-1",
        ChargeKind.AUTO_RETRY, 3, PERIOD, "retry-3");
    billing.status("c-1", ContractStatus.ERROR, 5); // meanwhile the retries are exhausted elsewhere
    billing.attempts.reconcile(); // the success is read back

    billing.status("c-1", ContractStatus.ACTIVE, 6);

    assertThat(billing.contract("c-1").status()).isEqualTo(ContractStatus.ACTIVE);
    assertThat(billing.contract("c-1").nextChargeOn()).isEqualTo(PERIOD.plusMonths(1));
    assertThat(billing.contract("c-1").statusVersion()).isEqualTo(6);
  }

  @Test
  void aChargeWhoseOutcomeStaysUnknownIsReportedAsStuckAndNeverChargedAgain() {
    billing.register("c-1", Cohort.CURRENT, "tok_ok", PERIOD);
    billing.at(PERIOD, LocalTime.of(9, 0));
    billing.processorTimesOut = true;
    billing.charges.runIfDue("instance-a");
    billing.processorUnreachable = true; // nor can its record be read (an outage)

    billing.at(PERIOD, LocalTime.of(9, 59));
    billing.attempts.reconcile();
    assertThat(billing.attempts.stuck()).as("not yet an hour").isEmpty();
    billing.at(PERIOD, LocalTime.of(10, 0));
    billing.attempts.reconcile();

    assertThat(billing.attempts.stuck()).singleElement().satisfies(a -> assertThat(a.contractId()).isEqualTo("c-1"));
    assertThat(billing.charged).hasSize(1);
  }
}
