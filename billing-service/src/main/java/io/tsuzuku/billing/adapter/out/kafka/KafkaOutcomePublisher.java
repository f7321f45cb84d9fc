package io.tsuzuku.billing.adapter.out.kafka;

import io.tsuzuku.billing.application.Attempt;
import io.tsuzuku.billing.application.port.OutcomePublisher;
import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes an attempt's outcome to {@code payment-outcomes} and waits for the acknowledgement. The
 * event id is derived from the attempt and its state, so republishing an outcome repeats its id.
 */
public final class KafkaOutcomePublisher implements OutcomePublisher {

  private final KafkaTemplate<String, SpecificRecord> template;
  private final Duration timeout;

  public KafkaOutcomePublisher(KafkaTemplate<String, SpecificRecord> template, Duration timeout) {
    this.template = template;
    this.timeout = timeout;
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
    try {
      template.send(Topics.PAYMENT_OUTCOMES.name(), a.contractId(), record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted publishing the outcome of " + a.attemptId(), e);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new IllegalStateException("the broker did not acknowledge the outcome of " + a.attemptId(), e);
    }
  }
}
