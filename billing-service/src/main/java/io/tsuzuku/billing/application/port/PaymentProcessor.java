package io.tsuzuku.billing.application.port;

import io.tsuzuku.billing.domain.FailureClass;

/**
 * The payment processor. {@code charge} is idempotent by the attempt id: calling it again with the
 * same key never charges twice and answers with the first result, which is how an attempt left
 * PENDING by a crash is reconciled.
 */
@FunctionalInterface
public interface PaymentProcessor {

  Result charge(Charge charge);

  /**
   * What to charge, under which idempotency key.
   *
   * @param legacyCohort the contract came from the legacy platform (its processor is out of reach)
   */
  record Charge(String idempotencyKey, String paymentMethodToken, long amountYen, String description, boolean legacyCohort) {
    public Charge(String idempotencyKey, String paymentMethodToken, long amountYen, String description) {
      this(idempotencyKey, paymentMethodToken, amountYen, description, false);
    }
  }

  /** What the processor answered. */
  sealed interface Result {
    record Succeeded(String reference) implements Result {}

    record Declined(String code, FailureClass failureClass, String message) implements Result {}

    /** No answer (a timeout): the outcome is unknown, the attempt stays PENDING to be reconciled. */
    record Unknown(String reason) implements Result {}
  }
}
