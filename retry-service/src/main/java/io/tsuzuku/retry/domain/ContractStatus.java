package io.tsuzuku.retry.domain;

/** The status the status-service publishes, as the retry service keeps it (docs/state-machine.md). */
public enum ContractStatus {
  ACTIVE,
  RETRYING,
  ERROR,
  CANCELLED
}
