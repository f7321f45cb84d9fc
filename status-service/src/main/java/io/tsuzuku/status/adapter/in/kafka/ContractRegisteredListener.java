package io.tsuzuku.status.adapter.in.kafka;

import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.status.application.ContractEvents;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** contract-registered → a new ACTIVE contract. */
@Component
class ContractRegisteredListener {

  private final ContractEvents contracts;

  ContractRegisteredListener(ContractEvents contracts) {
    this.contracts = contracts;
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_REGISTERED.name()}")
  void on(ContractRegistered registered) {
    contracts.register(InboundEvents.contract(registered), registered.getHeader().getEventId());
  }
}
