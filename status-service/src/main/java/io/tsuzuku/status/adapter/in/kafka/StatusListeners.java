package io.tsuzuku.status.adapter.in.kafka;

import io.micrometer.observation.ObservationRegistry;
import io.tsuzuku.kit.InboundBatch;
import io.tsuzuku.schemas.SealedFields;
import io.tsuzuku.status.application.BillingRefunds;
import io.tsuzuku.status.application.CardUpdates;
import io.tsuzuku.status.application.ContractEvents;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The status-service's listeners, one container per consumed topic. A poll's registrations are
 * stored together and a poll's contract events applied together ({@link InboundBatch}); every
 * record is mapped by {@link StatusRecords}.
 */
@Component
class StatusListeners {

  private final InboundBatch batches;
  private final ContractEvents contracts;
  private final StatusRecords records;

  StatusListeners(ObservationRegistry observations, ContractEvents contracts, BillingRefunds refunds, CardUpdates cards,
      SealedFields.Opener supporters) {
    this.batches = new InboundBatch(observations);
    this.contracts = contracts;
    this.records = new StatusRecords(contracts, refunds, cards, supporters);
  }

  /** contract-registered → new ACTIVE contracts (with their supporter's new card, if given after them). */
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_REGISTERED.withParkedTopic('${spring.application.name}')}", batch = "true")
  void registered(List<ConsumerRecord<String, Object>> polled) {
    batches.handle(polled, records::registration, records::registerAll, records::other);
  }

  /** payment-outcomes → a payment failed or succeeded, billing's deadline verdict, a refund owed or issued. */
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).PAYMENT_OUTCOMES.withParkedTopic('${spring.application.name}')}", batch = "true")
  void paymentOutcomes(List<ConsumerRecord<String, Object>> polled) {
    batches.handle(polled, StatusRecords::event, contracts::applyAll, records::other);
  }

  /** retry-events → what the retry scheduler planned or concluded. */
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).RETRY_EVENTS.withParkedTopic('${spring.application.name}')}", batch = "true")
  void retryEvents(List<ConsumerRecord<String, Object>> polled) {
    batches.handle(polled, StatusRecords::event, contracts::applyAll, records::other);
  }

  /** contract-cancellation-requested → the supporter (or the form's administrator) ends the contract. */
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_CANCELLATION_REQUESTED.withParkedTopic('${spring.application.name}')}")
  void cancellationRequested(SpecificRecord record) {
    records.handle(record);
  }

  /** payment-method-updated → the supporter's new card, passed on to billing for each contract of theirs. */
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).PAYMENT_METHOD_UPDATED.withParkedTopic('${spring.application.name}')}")
  void paymentMethodUpdated(SpecificRecord record) {
    records.handle(record);
  }
}
