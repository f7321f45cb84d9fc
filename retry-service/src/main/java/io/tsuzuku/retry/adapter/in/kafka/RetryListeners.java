package io.tsuzuku.retry.adapter.in.kafka;

import io.tsuzuku.retry.application.RetryScheduling;
import io.micrometer.observation.ObservationRegistry;
import io.tsuzuku.kit.InboundBatch;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The listeners of the retry service: one container per consumed topic (a record waiting on one
 * topic never holds up another's), each a batch listener: a poll's events are planned together
 * ({@link RetryScheduling#applyAll}), each record mapped by {@link RetryRecords}.
 */
@Component
class RetryListeners {

  private final RetryRecords records;
  private final RetryScheduling scheduling;
  private final InboundBatch batches;

  RetryListeners(RetryScheduling scheduling, ObservationRegistry observations) {
    this.records = new RetryRecords(scheduling);
    this.scheduling = scheduling;
    this.batches = new InboundBatch(observations);
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_REGISTERED.withParkedTopic('${spring.application.name}')}", batch = "true")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_STATUS_CHANGED.withParkedTopic('${spring.application.name}')}", batch = "true")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).PAYMENT_OUTCOMES.withParkedTopic('${spring.application.name}')}", batch = "true")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).MANUAL_RETRY_REQUESTED.withParkedTopic('${spring.application.name}')}", batch = "true")
  void handle(List<ConsumerRecord<String, Object>> polled) {
    batches.handle(polled, records::event, scheduling::applyAll, records::handle);
  }
}
