package io.tsuzuku.retry.adapter.in.kafka;

import io.tsuzuku.retry.application.RetryScheduling;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** The listeners of the retry service: one container per consumed topic, each record handed to {@link RetryRecords}. */
@Component
class RetryListeners {

  private final RetryRecords records;

  RetryListeners(RetryScheduling scheduling) {
    this.records = new RetryRecords(scheduling);
  }

  /** One container a topic: a record waiting on one topic never holds up another's. */
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_REGISTERED.name()}")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_STATUS_CHANGED.name()}")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).PAYMENT_OUTCOMES.name()}")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).MANUAL_RETRY_REQUESTED.name()}")
  void handle(SpecificRecord record) {
    records.handle(record);
  }
}
