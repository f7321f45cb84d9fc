package io.tsuzuku.billing.adapter.out.kafka;

import io.tsuzuku.billing.application.port.OutcomeMessages;
import io.tsuzuku.billing.domain.Attempt;
import io.tsuzuku.billing.domain.Ledger;
import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.RefundFailed;
import io.tsuzuku.events.RefundIssued;
import io.tsuzuku.events.RefundRequired;
import io.tsuzuku.events.RepaymentDeadlineMissed;
import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import io.tsuzuku.kit.outbox.OutboxMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/**
 * The ledger's facts as the records of {@code payment-outcomes}. Event ids are derived from the
 * fact (an attempt and its state; a refusal and its cause; a refund and its attempt; a deadline
 * and its period), so a fact
 * published again carries the same id and consumers see it once.
 */
public final class AvroOutcomeMessages implements OutcomeMessages {

  @Override
  public List<OutboxMessage> messagesFor(List<Ledger.Fact> facts) {
    return facts.stream().map(AvroOutcomeMessages::message).toList();
  }

  private static OutboxMessage message(Ledger.Fact fact) {
    if (fact instanceof Ledger.Fact.RefundRequired refund) {
      var a = refund.attempt();
      var id = id("refund:" + a.attemptId());
      return encode(id, a, RefundRequired.newBuilder().setHeader(header(id, a, a.finishedAt())).setAttemptId(a.attemptId())
          .setKind(ChargeKind.valueOf(a.kind().name())).setPeriod(a.period()).setAmountYen(a.amountYen())
          .setProcessorReference(a.reference()).setChargedAt(a.finishedAt()).setReason(refund.reason()).build());
    }
    if (fact instanceof Ledger.Fact.RefundIssued issued) {
      var a = issued.attempt();
      var id = id("refund-issued:" + a.attemptId());
      return encode(id, a, RefundIssued.newBuilder().setHeader(header(id, a, issued.at())).setAttemptId(a.attemptId())
          .setAmountYen(a.amountYen()).setRefundReference(issued.refundReference()).build());
    }
    if (fact instanceof Ledger.Fact.RefundFailed failed) {
      var a = failed.attempt();
      var id = id("refund-failed:" + a.attemptId());
      return encode(id, a, RefundFailed.newBuilder().setHeader(header(id, a, failed.at())).setAttemptId(a.attemptId())
          .setAmountYen(a.amountYen()).setRefundReference(failed.refundReference()).setFailure(failed.failure()).build());
    }
    if (fact instanceof Ledger.Fact.DeadlineMissed missed) {
      var id = id("deadline-missed:" + missed.contractId() + ":" + missed.period());
      return KafkaMessagePublisher.encode(id, missed.contractId(), RepaymentDeadlineMissed.newBuilder()
          .setHeader(EventHeader.newBuilder().setEventId(id).setOrgId(missed.orgId()).setContractId(missed.contractId())
              .setOccurredAt(missed.at()).build())
          .setPeriod(missed.period()).setDeadline(missed.cancelledOn().minusDays(1)).setCancelledOn(missed.cancelledOn())
          .build());
    }
    var a = ((Ledger.Fact.Outcome) fact).attempt();
    if (a.state() == Attempt.State.SUCCEEDED) {
      var id = id("outcome:" + a.attemptId() + ":" + a.state());
      return encode(id, a, PaymentSucceeded.newBuilder().setHeader(header(id, a, a.finishedAt())).setAttemptId(a.attemptId())
          .setKind(ChargeKind.valueOf(a.kind().name())).setAttemptNumber(a.number()).setPeriod(a.period())
          .setAmountYen(a.amountYen()).setProcessorReference(a.reference()).build());
    }
    // a refusal is not an attempt: the same attempt id may be refused for another cause later
    var id = a.state() == Attempt.State.REFUSED
        ? id("refused:" + a.attemptId() + ":" + a.causeEventId() + ":" + a.failureCode())
        : id("outcome:" + a.attemptId() + ":" + a.state());
    return encode(id, a, PaymentFailed.newBuilder().setHeader(header(id, a, a.finishedAt())).setAttemptId(a.attemptId())
        .setKind(ChargeKind.valueOf(a.kind().name())).setAttemptNumber(a.number()).setPeriod(a.period())
        .setAmountYen(a.amountYen()).setFailureCode(a.failureCode())
        .setFailureClass(FailureClass.valueOf(a.failureClass().name())).build());
  }

  private static EventHeader header(String id, Attempt a, Instant at) {
    return EventHeader.newBuilder().setEventId(id).setOrgId(a.orgId()).setContractId(a.contractId()).setOccurredAt(at)
        .setCausationId(a.causeEventId()).build();
  }

  private static String id(String fact) {
    return UUID.nameUUIDFromBytes(fact.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static OutboxMessage encode(String id, Attempt a, SpecificRecord record) {
    return KafkaMessagePublisher.encode(id, a.contractId(), record);
  }
}
