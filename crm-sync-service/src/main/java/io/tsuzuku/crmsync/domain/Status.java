package io.tsuzuku.crmsync.domain;

/** A contract's status as the status-service publishes it (SPEC §2). */
public enum Status {
  ACTIVE,
  RETRYING,
  ERROR,
  CANCELLED
}
