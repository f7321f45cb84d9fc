package io.tsuzuku.status.adapter.in.kafka;

import io.tsuzuku.events.RepaymentDeadlinePassed;
import io.tsuzuku.events.RetriesExhausted;
import io.tsuzuku.events.RetryScheduled;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.status.application.ContractEvents.Inbound;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * retry-events → what the retry scheduler planned or concluded (a poll's events applied together).
 * A legacy deadline's timer is not a verdict: billing decides and says so on payment-outcomes.
 */
@Component
class RetryEventsListener {

  private final InboundBatch batches;
  private final ContractEvents contracts;

  RetryEventsListener(InboundBatch batches, ContractEvents contracts) {
    this.batches = batches;
    this.contracts = contracts;
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).RETRY_EVENTS.name()}", batch = "true")
  void on(List<ConsumerRecord<String, Object>> records) {
    batches.handle(records, RetryEventsListener::event, contracts::applyAll, value -> {
      if (!(value instanceof RepaymentDeadlinePassed)) { // the timer that wakes billing, whose verdict counts
        throw InboundBatch.unknownType(value);
      }
    });
  }

  private static Inbound event(Object value, String traceParent) {
    if (value instanceof RetryScheduled scheduled) {
      var header = scheduled.getHeader();
      return new Inbound(header.getContractId(), header.getOrgId(), InboundEvents.retryScheduled(scheduled), traceParent);
    }
    if (value instanceof RetriesExhausted exhausted) {
      var header = exhausted.getHeader();
      return new Inbound(header.getContractId(), header.getOrgId(), InboundEvents.retriesExhausted(exhausted), traceParent);
    }
    return null;
  }
}
