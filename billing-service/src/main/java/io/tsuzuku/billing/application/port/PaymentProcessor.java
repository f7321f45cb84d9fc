package io.tsuzuku.billing.application.port;

import io.tsuzuku.billing.domain.FailureClass;

/**
 * A payment processor. {@code charge} is idempotent by the attempt id; {@code lookup} reads what the
 * processor recorded for an attempt id without charging, which is how an attempt left in flight by a
 * crash or an unanswered call is reconciled.
 */
public interface PaymentProcessor {

  Result charge(Charge charge);

  /** What the processor recorded under the charge's idempotency key, charging nothing. */
  Result lookup(Charge charge);

  /**
   * What to charge, under which idempotency key.
   *
   * @param legacyCohort the contract came from the legacy platform: its charges go through the
   *     legacy processor's port
   */
  record Charge(String idempotencyKey, String paymentMethodToken, long amountYen, String description, boolean legacyCohort) {

    public static Charge of(io.tsuzuku.billing.domain.Attempt attempt) {
      return new Charge(attempt.attemptId(), attempt.paymentMethodToken(), attempt.amountYen(),
          "tsuzuku " + attempt.contractId() + " " + attempt.period(), attempt.legacyCohort());
    }
  }

  /** What the processor answered. */
  sealed interface Result {
    record Succeeded(String reference) implements Result {}

    record Declined(String code, FailureClass failureClass, String message) implements Result {}

    /** No answer (a timeout, an outage): the outcome is unknown, the attempt stays in flight. */
    record Unknown(String reason) implements Result {}

    /** The processor has no record of the key: nothing was charged under it. */
    record NotFound() implements Result {}
  }
}
