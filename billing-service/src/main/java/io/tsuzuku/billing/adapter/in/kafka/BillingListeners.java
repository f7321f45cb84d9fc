package io.tsuzuku.billing.adapter.in.kafka;

import io.tsuzuku.billing.application.Charges;
import io.tsuzuku.billing.application.ContractBook;
import io.tsuzuku.billing.application.Refunds;
import io.micrometer.observation.ObservationRegistry;
import io.tsuzuku.kit.InboundBatch;
import io.tsuzuku.schemas.RepaymentLinks;
import io.tsuzuku.schemas.SealedFields;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Billing's listeners: one container per consumed topic, each record mapped by {@link BillingRecords}. */
@Component
class BillingListeners {

  private final BillingRecords records;
  private final ContractBook book;
  private final InboundBatch batches;

  BillingListeners(ContractBook book, Charges charges, Refunds refunds, SealedFields.Opener paymentMethods,
      RepaymentLinks.Verifier links, ObservationRegistry observations) {
    this.records = new BillingRecords(book, charges, refunds, paymentMethods, links);
    this.book = book;
    this.batches = new InboundBatch(observations);
  }

  /**
   * What the other systems say of contracts, in volume at a month-end: a poll's registrations and
   * status snapshots are read and written together ({@link ContractBook#applyAll}).
   */
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_REGISTERED.withParkedTopic('${spring.application.name}')}", batch = "true")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_STATUS_CHANGED.withParkedTopic('${spring.application.name}')}", batch = "true")
  void contracts(List<ConsumerRecord<String, Object>> polled) {
    batches.handle(polled, records::update, book::applyAll, records::handle);
  }

  /**
   * One container a topic (a record waiting on one topic never holds up another's); retry-events
   * for the legacy deadlines the retry-service's timer says are due (its plans are not billing's).
   */
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CHARGE_REQUESTED.withParkedTopic('${spring.application.name}')}")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).RETRY_EVENTS.withParkedTopic('${spring.application.name}')}")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).REFUND_SETTLEMENTS.withParkedTopic('${spring.application.name}')}")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).REPAYMENT_SUBMITTED.withParkedTopic('${spring.application.name}')}")
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).PAYMENT_METHOD_CHANGES.withParkedTopic('${spring.application.name}')}")
  void handle(SpecificRecord record) {
    records.handle(record);
  }
}
