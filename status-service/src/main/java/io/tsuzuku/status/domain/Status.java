package io.tsuzuku.status.domain;

/** The four statuses of a contract (docs/state-machine.md). The codes are the API; labels are configuration. */
public enum Status {
  ACTIVE,
  RETRYING,
  ERROR,
  CANCELLED
}
