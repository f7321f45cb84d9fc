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

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_REGISTERED.name()}")
  void registered(SpecificRecord record) {
    records.handle(record);
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_STATUS_CHANGED.name()}")
  void statusChanged(SpecificRecord record) {
    records.handle(record);
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).PAYMENT_OUTCOMES.name()}")
  void paymentOutcomes(SpecificRecord record) {
    records.handle(record);
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).MANUAL_RETRY_REQUESTED.name()}")
  void manualRetries(SpecificRecord record) {
    records.handle(record);
  }
}
