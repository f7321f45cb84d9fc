package io.tsuzuku.status.adapter.in.kafka;

import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.status.application.ContractEvents.Registration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** contract-registered → new ACTIVE contracts (a poll's registrations stored together). */
@Component
class ContractRegisteredListener {

  private final InboundBatch batches;
  private final ContractEvents contracts;

  ContractRegisteredListener(InboundBatch batches, ContractEvents contracts) {
    this.batches = batches;
    this.contracts = contracts;
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_REGISTERED.name()}", batch = "true")
  void on(List<ConsumerRecord<String, Object>> records) {
    batches.handle(records, ContractRegisteredListener::registration, contracts::registerAll, value -> {
      throw InboundBatch.unknownType(value);
    });
  }

  private static Registration registration(Object value, String traceParent) {
    return value instanceof ContractRegistered registered
        ? new Registration(InboundEvents.contract(registered), registered.getHeader().getEventId(), traceParent)
        : null;
  }
}
