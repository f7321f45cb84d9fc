package io.tsuzuku.status.adapter.out.kafka;

import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.FinalNoticeRequested;
import io.tsuzuku.events.ManualRetryRequested;
import io.tsuzuku.events.ManualRetryWithdrawn;
import io.tsuzuku.status.application.RefundOwed;
import io.tsuzuku.events.PaymentMethodChangeRequested;
import io.tsuzuku.events.RefundSettled;
import io.tsuzuku.events.RepaymentRequested;
import io.tsuzuku.schemas.RepaymentLinks;
import io.tsuzuku.events.Requester;
import io.tsuzuku.events.StatusChangeReason;
import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.status.application.port.MessageFactory;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Effect;
import io.tsuzuku.status.domain.Outcome;
import io.tsuzuku.status.domain.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/**
 * Builds the Avro records this service publishes from what happened to a contract, and encodes
 * them for the outbox. Each message gets its event id now, so a republication carries the same id.
 */
public final class AvroMessageFactory implements MessageFactory {

  /** Signs the re-payment requests' links; null where this factory makes none (a test's). */
  private final RepaymentLinks.Signer links;

  public AvroMessageFactory(RepaymentLinks.Signer links) {
    this.links = links;
  }

  /** A factory that makes no re-payment request. */
  public AvroMessageFactory() {
    this(null);
  }

  @Override
  public List<OutboxMessage> messagesFor(Outcome outcome) {
    var contract = outcome.contract();
    var event = outcome.event();
    var messages = new ArrayList<OutboxMessage>();
    for (var effect : outcome.effects()) {
      var header = header(contract, event.occurredAt(), event.eventId());
      SpecificRecord record;
      if (effect instanceof Effect.StatusChanged changed) {
        record = StatusSnapshots.snapshot(contract, changed.from(), reason(event.trigger()), header);
      } else if (effect instanceof Effect.ManualRetryOrdered ordered) {
        record =
            ManualRetryRequested.newBuilder()
                .setHeader(header)
                .setRetryOn(ordered.retryOn())
                .setRunAt(ordered.runAt())
                .setPeriod(ordered.period())
                .setRequestedBy(ordered.requestedBy())
                .build();
      } else if (effect instanceof Effect.ManualRetryWithdrawn withdrawn) {
        record =
            ManualRetryWithdrawn.newBuilder()
                .setHeader(header)
                .setWithdrawnBy(withdrawn.by() == Actor.Kind.ADMINISTRATOR ? Requester.ADMINISTRATOR : Requester.SYSTEM)
                .setReason(withdrawn.reason())
                .setRunAt(withdrawn.runAt())
                .build();
      } else if (effect instanceof Effect.PaymentMethodChangeOrdered change) {
        // the contract's change has the event's id: billing's charge with the new card is caused by it
        header.setEventId(event.eventId());
        header.setCausationId(change.updateId());
        record = PaymentMethodChangeRequested.newBuilder().setHeader(header).setUpdatedFrom(change.updatedFrom())
            .setPaymentMethodToken(change.sealedToken()).build();
      } else if (effect instanceof Effect.RepaymentRequestOrdered requested) {
        if (links == null) {
          throw new IllegalStateException("this message factory has no key to sign re-payment links with");
        }
        var link = new RepaymentLinks.Link(RepaymentLinks.linkIdOf(requested.requestId()), contract.orgId(), contract.contractId(), requested.period(),
            requested.expiresAt());
        record =
            RepaymentRequested.newBuilder()
                .setHeader(header)
                .setSupporter(StatusSnapshots.supporter(contract.supporter()))
                .setAmountYen(contract.amountYen())
                .setPeriod(requested.period())
                .setLastFailure(StatusSnapshots.failure(contract.lastFailure()))
                .setLinkToken(links.sign(link))
                .setExpiresAt(requested.expiresAt())
                .setRequestedBy(requested.requestedBy())
                .build();
      } else {
        var notice = (Effect.FinalNoticeOrdered) effect;
        record =
            FinalNoticeRequested.newBuilder()
                .setHeader(header)
                .setSupporter(StatusSnapshots.supporter(contract.supporter()))
                .setAmountYen(contract.amountYen())
                .setErrorSince(contract.errorSince())
                .setLastFailure(StatusSnapshots.failure(contract.lastFailure()))
                .setNoticeOn(notice.noticeOn())
                .setRequestedBy(notice.requestedBy())
                .build();
      }
      messages.add(message(contract.contractId(), header.getEventId(), record));
    }
    return messages;
  }

  @Override
  public List<OutboxMessage> registered(Contract contract, String causationId) {
    var header = header(contract, contract.statusSince(), causationId);
    var snapshot = StatusSnapshots.snapshot(contract, null, StatusChangeReason.REGISTERED, header);
    return List.of(message(contract.contractId(), header.getEventId(), snapshot));
  }

  @Override
  public OutboxMessage refundSettled(Contract contract, RefundOwed refund, String settledBy, Instant at, String eventId) {
    var header = EventHeader.newBuilder().setEventId(eventId).setOrgId(contract.orgId()).setContractId(contract.contractId())
        .setOccurredAt(at).build();
    return message(contract.contractId(), eventId, RefundSettled.newBuilder().setHeader(header)
        .setAttemptId(refund.attemptId()).setAmountYen(refund.amountYen()).setSettledBy(settledBy).build());
  }

  static StatusChangeReason reason(Trigger trigger) {
    return switch (trigger) {
      case REPAYMENT_DEADLINE_PASSED -> StatusChangeReason.LEGACY_DEADLINE_PASSED;
      default -> StatusChangeReason.valueOf(trigger.name());
    };
  }

  private static EventHeader header(Contract contract, Instant at, String causationId) {
    return EventHeader.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOrgId(contract.orgId())
        .setContractId(contract.contractId())
        .setOccurredAt(at)
        .setCausationId(causationId)
        .build();
  }

  private static OutboxMessage message(String contractId, String eventId, SpecificRecord record) {
    return KafkaMessagePublisher.encode(eventId, contractId, record);
  }
}
