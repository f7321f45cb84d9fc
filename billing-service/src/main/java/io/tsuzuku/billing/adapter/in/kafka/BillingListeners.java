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

  /**
   * One container a topic (a record waiting on one topic never holds up another's); retry-events
   * for the legacy deadlines the retry-service's timer says are due (its plans are not billing's).
   */
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_REGISTERED.name()}")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_STATUS_CHANGED.name()}")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CHARGE_REQUESTED.name()}")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).RETRY_EVENTS.name()}")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).REFUND_SETTLEMENTS.name()}")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).REPAYMENT_SUBMITTED.name()}")
  void handle(SpecificRecord record) {
    records.handle(record);
  }
}
