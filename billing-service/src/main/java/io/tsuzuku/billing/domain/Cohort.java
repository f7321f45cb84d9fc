package io.tsuzuku.billing.domain;

/** Where a contract was applied for: CURRENT, or LEGACY (the old platform, its own processor and rule). */
public enum Cohort {
  CURRENT,
  LEGACY
}
