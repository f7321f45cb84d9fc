package io.tsuzuku.retry.adapter.in.kafka;

import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.ManualRetryRequested;
import io.tsuzuku.events.ManualRetryWithdrawn;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.RefundFailed;
import io.tsuzuku.events.RefundIssued;
import io.tsuzuku.events.RefundRequired;
import io.tsuzuku.events.RepaymentDeadlineMissed;
import io.tsuzuku.retry.application.RetryScheduling;
import io.tsuzuku.schemas.UnprocessableRecordException;

/**
 * Every record the retry service consumes, mapped ({@link InboundEvents}) and handed to its use
 * case: the one way a record reaches the retry service, whoever delivers it (the listeners).
 */
public final class RetryRecords {

  private final RetryScheduling scheduling;

  public RetryRecords(RetryScheduling scheduling) {
    this.scheduling = scheduling;
  }

  /**
   * The event a record is for the retry service, in the trace given (it may be null); null for a
   * record it has no part in (a refund, billing's deadline verdict, which withdraws what is pending
   * through the status-service's snapshot).
   *
   * @throws UnprocessableRecordException for a record type the retry service has no handling for
   */
  public RetryScheduling.Event event(Object record, String traceParent) {
    if (record instanceof ContractRegistered registered) {
      return scheduling.event(InboundEvents.registered(registered), traceParent);
    } else if (record instanceof ContractStatusChanged changed) {
      return scheduling.event(InboundEvents.statusChanged(changed), traceParent);
    } else if (record instanceof PaymentFailed failed) {
      return scheduling.event(InboundEvents.paymentFailed(failed), traceParent);
    } else if (record instanceof PaymentSucceeded succeeded) {
      return scheduling.event(InboundEvents.paymentSucceeded(succeeded), traceParent);
    } else if (record instanceof ManualRetryRequested requested) {
      return scheduling.event(InboundEvents.manualRetryRequested(requested), traceParent);
    } else if (record instanceof ManualRetryWithdrawn withdrawn) {
      return scheduling.event(InboundEvents.manualRetryWithdrawn(withdrawn), traceParent);
    } else if (record instanceof RefundRequired || record instanceof RefundIssued || record instanceof RefundFailed
        || record instanceof RepaymentDeadlineMissed) {
      return null;
    }
    throw new UnprocessableRecordException("the retry service has no handling for record type " + record.getClass().getName());
  }

  /** @throws UnprocessableRecordException for a record type the retry service has no handling for */
  public void handle(Object record) {
    var event = event(record, null);
    if (event != null) {
      scheduling.apply(event);
    }
  }
}
