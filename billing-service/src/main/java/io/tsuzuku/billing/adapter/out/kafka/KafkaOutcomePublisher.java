package io.tsuzuku.billing.adapter.out.kafka;

import io.tsuzuku.billing.application.Attempt;
import io.tsuzuku.billing.application.port.OutcomePublisher;
import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.schemas.spring.AcknowledgedSender;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes an attempt's outcome to {@code payment-outcomes} and waits for the acknowledgement. The
 * event id is derived from the attempt and its state, so republishing an outcome repeats its id.
 */
public final class KafkaOutcomePublisher implements OutcomePublisher {

  private final AcknowledgedSender sender;

  public KafkaOutcomePublisher(KafkaTemplate<String, SpecificRecord> template, Duration timeout) {
    this.sender = new AcknowledgedSender(template, timeout);
  }

  @Override
  public void publish(Attempt a) {
    var header = EventHeader.newBuilder()
        .setEventId(UUID.nameUUIDFromBytes(("outcome:" + a.attemptId() + ":" + a.state()).getBytes(StandardCharsets.UTF_8)).toString())
        .setOrgId(a.orgId())
        .setContractId(a.contractId())
        .setOccurredAt(a.finishedAt())
        .setCausationId(a.causeEventId())
        .build();
    SpecificRecord record =
        a.state() == Attempt.State.SUCCEEDED
            ? PaymentSucceeded.newBuilder().setHeader(header).setAttemptId(a.attemptId()).setKind(ChargeKind.valueOf(a.kind().name()))
                .setAttemptNumber(a.number()).setPeriod(a.period()).setAmountYen(a.amountYen()).setProcessorReference(a.reference()).build()
            : PaymentFailed.newBuilder().setHeader(header).setAttemptId(a.attemptId()).setKind(ChargeKind.valueOf(a.kind().name()))
                .setAttemptNumber(a.number()).setPeriod(a.period()).setAmountYen(a.amountYen()).setFailureCode(a.failureCode())
                .setFailureClass(FailureClass.valueOf(a.failureClass().name())).build();
    sender.send(a.contractId(), record);
  }
}
