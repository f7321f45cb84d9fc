package io.tsuzuku.retry.domain;

/** What a scheduled job does when it comes due. */
public enum JobKind {
  /** Charge the outstanding period again (weekly, current cohort). */
  AUTO_RETRY,
  /** Charge the outstanding period on the date an administrator chose. */
  MANUAL_RETRY,
  /** Cancel a legacy contract that was not re-paid by its deadline. */
  LEGACY_DEADLINE
}
