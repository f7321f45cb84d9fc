package io.tsuzuku.billing.domain;

/** What a failure means for the retry path (docs/retry-policy.md, "Declines": classify before choosing a path). */
public enum FailureClass {
  /** The card may work later (limit reached, insufficient funds): the weekly schedule. */
  SOFT_DECLINE,
  /** The card will not work again (lost, stolen, closed, expired). */
  HARD_DECLINE,
  /** The processor failed, not the card. */
  PROCESSOR_ERROR,
  /** tsuzuku refused to charge; the code says why. */
  REFUSED
}
