package io.tsuzuku.billing.adapter.out.processor;

import io.tsuzuku.schemas.ChargeRefusal;
import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.domain.FailureClass;

/**
 * The port of a processor that is not configured (the legacy processor outside the local stack,
 * until its adapter exists): every charge is refused with {@code processor_not_configured}, and
 * nothing is faked.
 */
public final class UnconfiguredProcessor implements PaymentProcessor {

  public static final String CODE = ChargeRefusal.PROCESSOR_NOT_CONFIGURED.code();

  private final String which;

  public UnconfiguredProcessor(String which) {
    this.which = which;
  }

  @Override
  public Result charge(Charge charge) {
    return new Result.Declined(CODE, FailureClass.REFUSED, "no " + which + " processor is configured");
  }

  @Override
  public Result lookup(Charge charge) {
    return new Result.NotFound();
  }

  @Override
  public Result refund(Refund refund) {
    return new Result.Declined(CODE, FailureClass.REFUSED, "no " + which + " processor is configured");
  }

  @Override
  public Result refundOutcome(Refund refund, String refundReference) {
    return refund(refund);
  }
}
