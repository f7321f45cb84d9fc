package io.tsuzuku.billing.application.port;

import io.tsuzuku.billing.domain.FailureClass;

/**
 * A payment processor. {@code charge} is idempotent by the attempt id; {@code lookup} learns what
 * the processor did under an attempt id, which is how an attempt left in flight by a crash or an
 * unanswered call is reconciled. Unknown means unknown (docs/ledger.md): {@code lookup} answers
 * {@link Result.NotFound} only from a strongly consistent read, never from an eventually
 * consistent one (a search index that may lag), and {@link Result.Unknown} whenever it cannot tell.
 */
public interface PaymentProcessor {

  Result charge(Charge charge);

  /**
   * What the processor did under the charge's idempotency key: the charge's outcome, NotFound when
   * a strongly consistent read shows it never charged under the key, else Unknown. It never
   * charges under another key; within the processor's idempotency window it may repeat the very
   * request under the same key, which the processor answers with what it did the first time.
   */
  Result lookup(Charge charge);

  /**
   * Gives a successful charge's money back, idempotent by {@code refund.idempotencyKey()}: a second
   * call refunds nothing more. Succeeded carries the processor's id of the refund; Pending, the id
   * of a refund the processor took and has not finished; Declined, one it failed.
   */
  Result refund(Refund refund);

  /** How the refund {@code refundReference} the processor took for {@code refund} has ended, if it has. */
  Result refundOutcome(Refund refund, String refundReference);

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
   * @param claimedAt when the ledger claimed the attempt (the first request was sent after it)
   */
  record Charge(String idempotencyKey, String paymentMethodToken, long amountYen, String description, boolean legacyCohort,
      java.time.Instant claimedAt) {

    public static Charge of(io.tsuzuku.billing.domain.Attempt attempt) {
      return new Charge(attempt.attemptId(), attempt.paymentMethodToken(), attempt.amountYen(),
          "tsuzuku " + attempt.contractId() + " " + attempt.period(), attempt.legacyCohort(), attempt.createdAt());
    }
  }

  /** What the processor answered. */
  sealed interface Result {
    record Succeeded(String reference) implements Result {}

    record Declined(String code, FailureClass failureClass, String message) implements Result {}

    /** No answer (a timeout, an outage): the outcome is unknown, the attempt stays in flight. */
    record Unknown(String reason) implements Result {}

    /** Taken by the processor, not finished yet (a refund in progress): {@code reference} says which. */
    record Pending(String reference) implements Result {}

    /** A strongly consistent read shows no charge under the key: nothing was charged under it. */
    record NotFound() implements Result {}
  }
}
