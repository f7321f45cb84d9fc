package io.tsuzuku.schemas;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why billing refused a charge rather than charge the card: its ledger's checks before the
 * processor is called (docs/ledger.md, invariant 1), or no processor configured for the contract's
 * cohort. A {@code PaymentFailed} of class REFUSED carries the refusal's {@link #code()} as its
 * {@code failureCode}, and docs/events.md publishes this table for other teams. A refusal moves no
 * status by itself. A passing one says "not now", not "never": the retry schedule goes on after
 * it; after any other, the schedule ends (after {@link #NEW_CARD_REQUIRED}, the retries are
 * exhausted: the contract waits in ERROR for a new card).
 */
public enum ChargeRefusal {
  CONTRACT_CANCELLED("contract_cancelled", false, "The contract is cancelled: nothing is charged any more."),
  LEGACY_CONTRACT_RETRY("legacy_contract_retry", false, "A legacy contract gets no automatic or manual retries."),
  CHARGE_IN_PROGRESS("charge_in_progress", true, "Another attempt of the contract is at the processor."),
  PERIOD_ALREADY_PAID("period_already_paid", false, "The period is paid already."),
  PERIOD_NOT_OUTSTANDING("period_not_outstanding", false, "The period is not the contract's outstanding one."),
  PERIOD_NOT_DUE("period_not_due", false, "The period's scheduled charge is not due yet on billing's date."),
  ATTEMPT_BUDGET_EXCEEDED("attempt_budget_exceeded", true,
      "The card was tried " + AttemptBudget.MAX_ATTEMPTS + " times without success in " + AttemptBudget.WINDOW.toDays()
          + " days, across every contract it pays."),
  REPAYMENT_DEADLINE_PASSED("repayment_deadline_passed", false, "A legacy contract's re-payment came on or after its deadline."),
  NEW_CARD_REQUIRED(DeclineRules.NEW_CARD_REQUIRED, false,
      "The card was last declined for good: only a new card is charged."),
  LINK_INVALID("link_invalid", false,
      "The re-payment's link token was not made by tsuzuku, or was made for another organisation, contract or period."),
  LINK_EXPIRED("link_expired", false, "The re-payment's link expired: the supporter needs a new request."),
  LINK_ALREADY_USED("link_already_used", false, "The re-payment's link was used already: a link pays once."),
  PROCESSOR_NOT_CONFIGURED("processor_not_configured", false,
      "No processor is configured for the contract's cohort: a charge is never faked.");

  private final String code;
  private final boolean passing;
  private final String meaning;

  ChargeRefusal(String code, boolean passing, String meaning) {
    this.code = code;
    this.passing = passing;
    this.meaning = meaning;
  }

  /** The code as published in {@code PaymentFailed.failureCode}. */
  public String code() {
    return code;
  }

  /** Whether the refusal says "not now": the retry schedule goes on after it. */
  public boolean passing() {
    return passing;
  }

  /** What the refusal means, as docs/events.md publishes it. */
  public String meaning() {
    return meaning;
  }

  /** The refusal a published code names; empty for a code this version does not know. */
  public static Optional<ChargeRefusal> of(String code) {
    return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
  }
}
