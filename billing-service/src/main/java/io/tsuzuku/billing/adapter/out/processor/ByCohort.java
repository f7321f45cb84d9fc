package io.tsuzuku.billing.adapter.out.processor;

import io.tsuzuku.billing.application.port.PaymentProcessor;

/** Current-cohort charges go to the current processor, legacy-cohort charges to the legacy one's port. */
public record ByCohort(PaymentProcessor current, PaymentProcessor legacy) implements PaymentProcessor {

  @Override
  public Result charge(Charge charge) {
    return (charge.legacyCohort() ? legacy : current).charge(charge);
  }

  @Override
  public Result lookup(Charge charge) {
    return (charge.legacyCohort() ? legacy : current).lookup(charge);
  }

  @Override
  public Result refund(Refund refund) {
    return (refund.legacyCohort() ? legacy : current).refund(refund);
  }

  @Override
  public Result refundOutcome(Refund refund, String refundReference) {
    return (refund.legacyCohort() ? legacy : current).refundOutcome(refund, refundReference);
  }
}
