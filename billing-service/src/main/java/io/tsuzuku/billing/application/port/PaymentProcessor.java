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
   * Gives a successful charge's money back, idempotent by {@code refund.idempotencyKey()}: a second
   * call refunds nothing more. Succeeded carries the processor's id of the refund.
   */
  Result refund(Refund refund);

  /** What to refund: the payment {@code reference} the charge succeeded with. */
  record Refund(String idempotencyKey, String reference, long amountYen, boolean legacyCohort) {

    public static Refund of(io.tsuzuku.billing.domain.Attempt succeeded) {
      return new Refund("refund:" + succeeded.attemptId(), succeeded.reference(), succeeded.amountYen(), succeeded.legacyCohort());
    }
  }

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
