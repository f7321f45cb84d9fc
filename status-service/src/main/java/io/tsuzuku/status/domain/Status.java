package io.tsuzuku.status.domain;

/** The four statuses of a contract (SPEC.md §2). The codes are the API; labels are configuration. */
public enum Status {
  ACTIVE,
  RETRYING,
  ERROR,
  CANCELLED
}
