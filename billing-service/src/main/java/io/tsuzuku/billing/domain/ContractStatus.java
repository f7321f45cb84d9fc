package io.tsuzuku.billing.domain;

/** The status the status-service publishes, as billing keeps it (docs/state-machine.md). */
public enum ContractStatus {
  ACTIVE,
  RETRYING,
  ERROR,
  CANCELLED
}
