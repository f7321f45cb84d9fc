package io.tsuzuku.billing.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When billing refuses to charge (SPEC.md §3): never a cancelled contract, never a retry of a
 * legacy contract, never more than 15 attempts in any 30 days (the card networks' rule). A refusal
 * is recorded and published as a failed outcome of class REFUSED, and nothing is charged.
 */
public final class ChargeRules {

  public static final int ATTEMPT_BUDGET = 15;
  public static final Duration BUDGET_WINDOW = Duration.ofDays(30);

  private ChargeRules() {}

  /** The refusal code, or empty when the attempt may be charged. */
  public static Optional<String> refusal(BilledContract contract, ChargeKind kind, List<Instant> recentAttempts, Instant now) {
    if ("CANCELLED".equals(contract.status())) {
      return Optional.of("contract_cancelled");
    }
    if (kind.isRetry() && contract.cohort() == BilledContract.Cohort.LEGACY) {
      return Optional.of("legacy_contract_retry");
    }
    var from = now.minus(BUDGET_WINDOW);
    var inWindow = recentAttempts.stream().filter(at -> at.isAfter(from) && !at.isAfter(now)).count();
    if (inWindow >= ATTEMPT_BUDGET) {
      return Optional.of("attempt_budget_exceeded");
    }
    return Optional.empty();
  }
}
