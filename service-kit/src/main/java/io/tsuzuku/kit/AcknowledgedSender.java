package io.tsuzuku.kit;

import io.tsuzuku.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends events to the topic their record type belongs to ({@link Topics#of}), keyed by contract
 * id, and returns only once the broker acknowledged them: the caller (the outbox relay) records
 * its progress only after that. A batch is handed to the
 * producer whole and its acknowledgements awaited together, under one deadline.
 */
public final class AcknowledgedSender {

  /** An event, its key and the trace it continues ({@link Traces}; null: none). */
  public record Keyed(String contractId, SpecificRecord record, String traceParent) {}

  private final KafkaTemplate<String, SpecificRecord> template;
  private final Duration timeout;

  public AcknowledgedSender(KafkaTemplate<String, SpecificRecord> template, Duration timeout) {
    this.template = template;
    this.timeout = timeout;
  }

  /**
   * Sends the events in their order and waits for all their acknowledgements, at most the
   * timeout from the first send.
   *
   * @return for each event, in order, null when acknowledged, or why not
   */
  public List<IllegalStateException> sendAll(List<Keyed> events) {
    var deadline = System.nanoTime() + timeout.toNanos();
    var sent = new ArrayList<CompletableFuture<?>>(events.size());
    for (var event : events) {
      try {
        var record = new ProducerRecord<String, SpecificRecord>(
            Topics.of(event.record().getClass()).name(), event.contractId(), event.record());
        if (event.traceParent() != null) {
          record.headers().add(Traces.HEADER, event.traceParent().getBytes(StandardCharsets.US_ASCII));
        }
        sent.add(template.send(record));
      } catch (KafkaException e) {
        sent.add(CompletableFuture.failedFuture(e));
      }
    }
    var outcomes = new ArrayList<IllegalStateException>(events.size());
    for (int i = 0; i < events.size(); i++) {
      outcomes.add(await(sent.get(i), deadline, events.get(i)));
    }
    return outcomes;
  }

  private static IllegalStateException await(CompletableFuture<?> future, long deadline, Keyed event) {
    var topic = Topics.of(event.record().getClass()).name();
    try {
      future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new IllegalStateException("interrupted sending to " + topic, e);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return new IllegalStateException(
          "the broker did not acknowledge a record on " + topic + " for " + event.contractId(), e);
    }
  }
}
