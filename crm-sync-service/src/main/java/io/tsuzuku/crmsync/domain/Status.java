package io.tsuzuku.crmsync.domain;

/** A contract's status as the status-service publishes it (docs/state-machine.md). */
public enum Status {
  ACTIVE,
  RETRYING,
  ERROR,
  CANCELLED
}
