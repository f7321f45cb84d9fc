package io.tsuzuku.status.domain;

/** Which rule applies after a failed payment: weekly retries (CURRENT) or the old deadline (LEGACY). */
public enum Cohort {
  CURRENT,
  LEGACY
}
