package io.tsuzuku.status.domain;

import io.tsuzuku.schemas.AttemptBudget;
import io.tsuzuku.schemas.CohortRules;
import io.tsuzuku.schemas.DeclineRules;
import java.util.Optional;

/**
 * A named condition on a transition. It answers why the transition is refused, or nothing when it
 * may happen.
 */
public record Guard(String name, Check check) {

  @FunctionalInterface
  public interface Check {
    Optional<Refusal> refusal(Contract contract, ContractEvent event);
  }

  /**
   * Why a transition is refused: a machine-readable code (the administrators' bulk answers carry
   * it) and a sentence for the history.
   */
  public record Refusal(String code, String reason) {}

  public Optional<Refusal> refusal(Contract contract, ContractEvent event) {
    return check.refusal(contract, event);
  }

  private static Optional<Refusal> refuse(String code, String reason) {
    return Optional.of(new Refusal(code, reason));
  }

  public static final Guard ALWAYS = new Guard("always", (contract, event) -> Optional.empty());

  public static final Guard CURRENT_COHORT =
      new Guard(
          "current cohort",
          (contract, event) ->
              CohortRules.isRetried(contract.cohort().name())
                  ? Optional.empty()
                  : refuse("LEGACY_COHORT", "legacy contracts get no automatic or manual retries"));

  public static final Guard LEGACY_COHORT =
      new Guard(
          "legacy cohort",
          (contract, event) ->
              contract.cohort() == Cohort.LEGACY
                  ? Optional.empty()
                  : refuse("CURRENT_COHORT", "only legacy contracts are cancelled on a re-payment deadline"));

  /** A period failed and is still unpaid: what a re-payment request asks the supporter to pay. */
  public static final Guard PERIOD_OUTSTANDING =
      new Guard(
          "a period is outstanding",
          (contract, event) ->
              contract.outstandingPeriod() == null
                  ? refuse("NOTHING_OUTSTANDING", "no period of the contract is unpaid")
                  : Optional.empty());

  /** The event is about the period that failed and is still unpaid, not an older one. */
  public static final Guard OUTSTANDING_PERIOD =
      new Guard(
          "outstanding period",
          (contract, event) ->
              periodOf(event)
                  .filter(period -> !period.equals(contract.outstandingPeriod()))
                  .map(
                      period ->
                          new Refusal("STALE_PERIOD", "stale: period %s is not the outstanding period %s"
                              .formatted(period, contract.outstandingPeriod()))));

  /** A scheduled charge of a period after the last one paid (a late failure of a paid period is stale). */
  public static final Guard UNPAID_PERIOD =
      new Guard(
          "unpaid period",
          (contract, event) ->
              periodOf(event)
                  .filter(
                      period ->
                          contract.lastPaidPeriod() != null
                              && !period.isAfter(contract.lastPaidPeriod()))
                  .map(
                      period ->
                          new Refusal("PERIOD_PAID", "stale: period %s was already paid (last paid %s)"
                              .formatted(period, contract.lastPaidPeriod()))));

  public static final Guard CURRENT_COHORT_OUTSTANDING_PERIOD =
      new Guard(
          "current cohort, outstanding period",
          (contract, event) ->
              CURRENT_COHORT.refusal(contract, event).or(() -> OUTSTANDING_PERIOD.refusal(contract, event)));

  public static final Guard CURRENT_COHORT_UNPAID_PERIOD =
      new Guard(
          "current cohort, unpaid period",
          (contract, event) ->
              CURRENT_COHORT.refusal(contract, event).or(() -> UNPAID_PERIOD.refusal(contract, event)));

  public static final Guard LEGACY_COHORT_OUTSTANDING_PERIOD =
      new Guard(
          "legacy cohort, outstanding period",
          (contract, event) ->
              LEGACY_COHORT.refusal(contract, event).or(() -> OUTSTANDING_PERIOD.refusal(contract, event)));

  public static final Guard PENDING_MANUAL_RETRY =
      new Guard(
          "a manual retry is pending",
          (contract, event) ->
              contract.pendingManualRetry() == null
                  ? refuse("NO_PENDING_MANUAL_RETRY", "no manual retry is pending")
                  : Optional.empty());

  /** A manual retry runs within the card networks' attempt budget ({@link AttemptBudget}). */
  public static final Guard WITHIN_ATTEMPT_BUDGET =
      new Guard(
          "within the attempt budget",
          (contract, event) ->
              event instanceof ContractEvent.ManualRetryRequested requested
                      && !AttemptBudget.allowsAnother(contract.recentAttempts(), requested.runAt())
                  ? refuse("ATTEMPT_BUDGET_EXCEEDED",
                      "at most %d charge attempts in any %d days".formatted(
                          AttemptBudget.MAX_ATTEMPTS, AttemptBudget.WINDOW.toDays()))
                  : Optional.empty());

  /** The card on file was not last declined for good ({@link DeclineRules}): only a new card may be charged. */
  public static final Guard CARD_MAY_BE_CHARGED =
      new Guard(
          "the card may be charged",
          (contract, event) ->
              contract.lastFailure() != null && DeclineRules.requiresNewCard(contract.lastFailure().failureClass())
                  ? refuse("NEW_CARD_REQUIRED", "declined %s: the card is not charged again until the supporter gives a new one"
                      .formatted(contract.lastFailure().code()))
                  : Optional.empty());

  public static final Guard CURRENT_COHORT_CARD_WITHIN_ATTEMPT_BUDGET =
      new Guard(
          "current cohort, the card may be charged, within the attempt budget",
          (contract, event) ->
              CURRENT_COHORT.refusal(contract, event)
                  .or(() -> CARD_MAY_BE_CHARGED.refusal(contract, event))
                  .or(() -> WITHIN_ATTEMPT_BUDGET.refusal(contract, event)));

  private static Optional<java.time.LocalDate> periodOf(ContractEvent event) {
    return event.period();
  }
}
