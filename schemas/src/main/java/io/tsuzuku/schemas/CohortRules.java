package io.tsuzuku.schemas;

/**
 * What a contract's cohort (the {@code Cohort} of its events) means to every service
 * (docs/product.md, "Cohorts"): a current contract is retried, automatically and by hand; a legacy
 * one never is, and waits for its supporter's re-payment until its deadline. The status-service
 * refuses a manual retry of a legacy contract, the retry-service plans none, and billing refuses
 * one that comes anyway ({@link ChargeRefusal#LEGACY_CONTRACT_RETRY}).
 */
public final class CohortRules {

  private CohortRules() {}

  /** Whether a contract of the cohort named {@code cohort} gets retries: only the current cohort does. */
  public static boolean isRetried(String cohort) {
    return "CURRENT".equals(cohort);
  }
}
