package io.tsuzuku.status.adapter.in.kafka;

import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.RefundIssued;
import io.tsuzuku.events.RefundRequired;
import io.tsuzuku.events.RepaymentDeadlineMissed;
import io.tsuzuku.status.application.BillingRefunds;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.status.application.ContractEvents.Inbound;
import io.tsuzuku.status.application.RefundOwed;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * payment-outcomes → a payment failed or succeeded, or a legacy contract's deadline passed unpaid
 * (billing's verdict) (a poll's outcomes applied together), or a refund is owed.
 */
@Component
class PaymentOutcomesListener {

  private final InboundBatch batches;
  private final ContractEvents contracts;
  private final BillingRefunds refunds;

  PaymentOutcomesListener(InboundBatch batches, ContractEvents contracts, BillingRefunds refunds) {
    this.batches = batches;
    this.contracts = contracts;
    this.refunds = refunds;
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).PAYMENT_OUTCOMES.name()}", batch = "true")
  void on(List<ConsumerRecord<String, Object>> records) {
    batches.handle(records, PaymentOutcomesListener::event, contracts::applyAll, this::refund);
  }

  private static Inbound event(Object value, String traceParent) {
    if (value instanceof PaymentFailed failed) {
      var header = failed.getHeader();
      return new Inbound(header.getContractId(), header.getOrgId(), InboundEvents.paymentFailed(failed), traceParent);
    }
    if (value instanceof PaymentSucceeded succeeded) {
      var header = succeeded.getHeader();
      return new Inbound(header.getContractId(), header.getOrgId(), InboundEvents.paymentSucceeded(succeeded), traceParent);
    }
    if (value instanceof RepaymentDeadlineMissed missed) {
      var header = missed.getHeader();
      return new Inbound(header.getContractId(), header.getOrgId(), InboundEvents.deadlineMissed(missed), traceParent);
    }
    return null;
  }

  private void refund(Object value) {
    if (value instanceof RefundRequired refund) {
      var header = refund.getHeader();
      refunds.required(RefundOwed.required(refund.getAttemptId(), header.getContractId(), header.getOrgId(), refund.getPeriod(),
          refund.getAmountYen(), refund.getProcessorReference(), refund.getChargedAt(), refund.getReason(), header.getOccurredAt()));
    } else if (value instanceof RefundIssued issued) {
      var header = issued.getHeader();
      refunds.issued(header.getContractId(), header.getOrgId(), issued.getAttemptId(), header.getOccurredAt(),
          issued.getRefundReference());
    } else {
      throw InboundBatch.unknownType(value);
    }
  }
}
