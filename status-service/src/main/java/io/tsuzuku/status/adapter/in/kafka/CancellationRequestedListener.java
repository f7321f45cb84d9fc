package io.tsuzuku.status.adapter.in.kafka;

import io.tsuzuku.events.ContractCancellationRequested;
import io.tsuzuku.status.application.ContractEvents;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** contract-cancellation-requested → the supporter ends the contract. */
@Component
class CancellationRequestedListener {

  private final ContractEvents contracts;

  CancellationRequestedListener(ContractEvents contracts) {
    this.contracts = contracts;
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_CANCELLATION_REQUESTED.name()}")
  void on(ContractCancellationRequested request) {
    contracts.apply(request.getHeader().getContractId(), request.getHeader().getOrgId(), InboundEvents.cancellation(request));
  }
}
