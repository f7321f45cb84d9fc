package io.tsuzuku.status.adapter.in.kafka;

import io.tsuzuku.events.RepaymentDeadlinePassed;
import io.tsuzuku.events.RetriesExhausted;
import io.tsuzuku.events.RetryScheduled;
import io.tsuzuku.status.application.ContractEvents;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** retry-events → what the retry scheduler planned or concluded. One method per record type. */
@Component
@KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).RETRY_EVENTS.name()}")
class RetryEventsListener {

  private final ContractEvents contracts;

  RetryEventsListener(ContractEvents contracts) {
    this.contracts = contracts;
  }

  @KafkaHandler
  void on(RetryScheduled scheduled) {
    contracts.apply(scheduled.getHeader().getContractId(), scheduled.getHeader().getOrgId(), InboundEvents.retryScheduled(scheduled));
  }

  @KafkaHandler
  void on(RetriesExhausted exhausted) {
    contracts.apply(exhausted.getHeader().getContractId(), exhausted.getHeader().getOrgId(), InboundEvents.retriesExhausted(exhausted));
  }

  @KafkaHandler
  void on(RepaymentDeadlinePassed passed) {
    contracts.apply(passed.getHeader().getContractId(), passed.getHeader().getOrgId(), InboundEvents.deadlinePassed(passed));
  }
}
