package io.tsuzuku.billing.application;

/**
 * The processor did not say whether it charged. The attempt stays PENDING: it is reconciled (asked
 * again under the same idempotency key), never blindly charged anew.
 */
public class OutcomeUnknownException extends RuntimeException {
  public OutcomeUnknownException(String attemptId, String reason) {
    super("the outcome of attempt " + attemptId + " is unknown: " + reason);
  }
}
