package io.tsuzuku.retry.domain;

/** The status the status-service publishes, as the retry service keeps it (SPEC.md §2). */
public enum ContractStatus {
  ACTIVE,
  RETRYING,
  ERROR,
  CANCELLED
}
