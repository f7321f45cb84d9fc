package io.tsuzuku.schemas;

import java.util.Set;

/**
 * Billing's refusal codes that other services act on: a {@code PaymentFailed} of class REFUSED
 * carries one as its {@code failureCode} (docs/ledger.md, invariant 1). The passing ones say "not
 * now", not "never": the retry schedule goes on after them.
 */
public final class ChargeRefusals {

  /** Another attempt of the contract is at the processor. */
  public static final String CHARGE_IN_PROGRESS = "charge_in_progress";

  /** The card reached its attempts in 30 days. */
  public static final String ATTEMPT_BUDGET_EXCEEDED = "attempt_budget_exceeded";

  /** Refusals after which the retry schedule goes on. */
  public static final Set<String> PASSING = Set.of(CHARGE_IN_PROGRESS, ATTEMPT_BUDGET_EXCEEDED);

  private ChargeRefusals() {}
}
