package io.tsuzuku.billing.adapter.in.kafka;

import io.tsuzuku.billing.application.Charges;
import io.tsuzuku.billing.application.ContractBook;
import io.tsuzuku.billing.application.Refunds;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Billing's listeners: one container per consumed topic, each record handed to {@link BillingRecords}. */
@Component
class BillingListeners {

  private final BillingRecords records;

  BillingListeners(ContractBook book, Charges charges, Refunds refunds) {
    this.records = new BillingRecords(book, charges, refunds);
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_REGISTERED.name()}")
  void registered(SpecificRecord record) {
    records.handle(record);
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_STATUS_CHANGED.name()}")
  void statusChanged(SpecificRecord record) {
    records.handle(record);
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CHARGE_REQUESTED.name()}")
  void chargeRequested(SpecificRecord record) {
    records.handle(record);
  }

  /** retry-events: the retry-service's timer says a legacy deadline is due; its plans are not billing's. */
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).RETRY_EVENTS.name()}")
  void retryEvents(SpecificRecord record) {
    records.handle(record);
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).REFUND_SETTLEMENTS.name()}")
  void refundSettled(SpecificRecord record) {
    records.handle(record);
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).REPAYMENT_SUBMITTED.name()}")
  void repaymentSubmitted(SpecificRecord record) {
    records.handle(record);
  }
}
