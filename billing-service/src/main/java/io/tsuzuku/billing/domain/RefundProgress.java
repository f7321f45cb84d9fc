package io.tsuzuku.billing.domain;

/**
 * How the processor's refund of a refund due goes (docs/ledger.md, invariant 3): accepted and
 * still pending at the processor (its reference), or failed there ({@code failure}: the money was
 * not given back, and the organisation's administrators refund it by hand). A refund the processor
 * says succeeded is no longer due at all.
 */
public record RefundProgress(String attemptId, String refundReference, String failure) {

  public boolean failed() {
    return failure != null;
  }
}
