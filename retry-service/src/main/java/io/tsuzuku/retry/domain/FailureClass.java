package io.tsuzuku.retry.domain;

/** What a failure means for the retry path, as billing classified it. */
public enum FailureClass {
  SOFT_DECLINE,
  HARD_DECLINE,
  PROCESSOR_ERROR,
  REFUSED,
  UNKNOWN
}
