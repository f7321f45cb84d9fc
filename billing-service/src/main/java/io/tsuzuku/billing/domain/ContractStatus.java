package io.tsuzuku.billing.domain;

/** The status the status-service publishes, as billing keeps it (SPEC.md §2). */
public enum ContractStatus {
  ACTIVE,
  RETRYING,
  ERROR,
  CANCELLED
}
