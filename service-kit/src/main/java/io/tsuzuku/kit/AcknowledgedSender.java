package io.tsuzuku.kit;

import io.tsuzuku.schemas.Topics;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends an event to the topic its record type belongs to ({@link Topics#of}), keyed by contract
 * id, and returns only once the broker acknowledged it: the callers (an outbox relay, a job
 * dispatch, a charge outcome) record their progress only after that.
 */
public final class AcknowledgedSender {

  private final KafkaTemplate<String, SpecificRecord> template;
  private final Duration timeout;

  public AcknowledgedSender(KafkaTemplate<String, SpecificRecord> template, Duration timeout) {
    this.template = template;
    this.timeout = timeout;
  }

  /** @throws IllegalStateException when the broker did not acknowledge in time */
  public void send(String contractId, SpecificRecord record) {
    var topic = Topics.of(record.getClass()).name();
    try {
      template.send(topic, contractId, record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending to " + topic, e);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new IllegalStateException("the broker did not acknowledge a record on " + topic + " for " + contractId, e);
    }
  }
}
