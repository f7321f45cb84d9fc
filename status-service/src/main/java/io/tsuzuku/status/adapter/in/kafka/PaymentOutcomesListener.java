package io.tsuzuku.status.adapter.in.kafka;

import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.RefundIssued;
import io.tsuzuku.events.RefundRequired;
import io.tsuzuku.status.application.RefundOwed;
import io.tsuzuku.status.application.port.RefundsOwed;
import io.tsuzuku.status.application.ContractEvents;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** payment-outcomes → a payment failed or succeeded, or a refund is owed. One method per record type. */
@Component
@KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).PAYMENT_OUTCOMES.name()}")
class PaymentOutcomesListener {

  private final ContractEvents contracts;
  private final RefundsOwed refunds;

  PaymentOutcomesListener(ContractEvents contracts, RefundsOwed refunds) {
    this.contracts = contracts;
    this.refunds = refunds;
  }

  @KafkaHandler
  void on(RefundRequired refund) {
    var header = refund.getHeader();
    refunds.record(RefundOwed.required(refund.getAttemptId(), header.getContractId(), header.getOrgId(), refund.getPeriod(),
        refund.getAmountYen(), refund.getProcessorReference(), refund.getChargedAt(), refund.getReason(), header.getOccurredAt()));
  }

  @KafkaHandler
  void on(RefundIssued issued) {
    refunds.issued(issued.getAttemptId(), issued.getHeader().getOccurredAt(), issued.getRefundReference());
  }

  @KafkaHandler
  void on(PaymentFailed failed) {
    contracts.apply(failed.getHeader().getContractId(), failed.getHeader().getOrgId(), InboundEvents.paymentFailed(failed));
  }

  @KafkaHandler
  void on(PaymentSucceeded succeeded) {
    contracts.apply(succeeded.getHeader().getContractId(), succeeded.getHeader().getOrgId(), InboundEvents.paymentSucceeded(succeeded));
  }
}
