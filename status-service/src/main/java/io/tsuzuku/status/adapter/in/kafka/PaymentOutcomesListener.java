package io.tsuzuku.status.adapter.in.kafka;

import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.status.application.ContractEvents;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** payment-outcomes → a payment failed or succeeded. One method per record type. */
@Component
@KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).PAYMENT_OUTCOMES.name()}")
class PaymentOutcomesListener {

  private final ContractEvents contracts;

  PaymentOutcomesListener(ContractEvents contracts) {
    this.contracts = contracts;
  }

  @KafkaHandler
  void on(PaymentFailed failed) {
    contracts.apply(failed.getHeader().getContractId(), InboundEvents.paymentFailed(failed));
  }

  @KafkaHandler
  void on(PaymentSucceeded succeeded) {
    contracts.apply(succeeded.getHeader().getContractId(), InboundEvents.paymentSucceeded(succeeded));
  }
}
