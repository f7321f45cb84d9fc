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

  /** @throws UnprocessableRecordException for a record type the retry service has no handling for */
  public void handle(Object record) {
    if (record instanceof ContractRegistered registered) {
      scheduling.registered(InboundEvents.registered(registered));
    } else if (record instanceof ContractStatusChanged changed) {
      scheduling.statusChanged(InboundEvents.statusChanged(changed));
    } else if (record instanceof PaymentFailed failed) {
      scheduling.paymentFailed(InboundEvents.paymentFailed(failed));
    } else if (record instanceof PaymentSucceeded succeeded) {
      scheduling.paymentSucceeded(InboundEvents.paymentSucceeded(succeeded));
    } else if (record instanceof ManualRetryRequested requested) {
      scheduling.manualRetryRequested(InboundEvents.manualRetryRequested(requested));
    } else if (record instanceof ManualRetryWithdrawn withdrawn) {
      scheduling.manualRetryWithdrawn(InboundEvents.manualRetryWithdrawn(withdrawn));
    } else if (!(record instanceof RefundRequired || record instanceof RefundIssued || record instanceof RefundFailed
        || record instanceof RepaymentDeadlineMissed)) {
      // a refund changes no retry; billing's deadline verdict withdraws what is pending through the status-service's snapshot
      throw new UnprocessableRecordException("the retry service has no handling for record type " + record.getClass().getName());
    }
  }
}
