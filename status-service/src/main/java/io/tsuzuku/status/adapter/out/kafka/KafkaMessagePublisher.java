package io.tsuzuku.status.adapter.out.kafka;

import io.tsuzuku.schemas.Topics;
import io.tsuzuku.status.application.OutboxMessage;
import io.tsuzuku.status.application.port.MessagePublisher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes an outbox message to its record type's topic, keyed by contract id, and waits for the
 * broker's acknowledgement: the relay clears a message only once this returns.
 */
public final class KafkaMessagePublisher implements MessagePublisher {

  private final KafkaTemplate<String, SpecificRecord> template;
  private final Duration timeout;

  public KafkaMessagePublisher(KafkaTemplate<String, SpecificRecord> template, Duration timeout) {
    this.template = template;
    this.timeout = timeout;
  }

  @Override
  public void publish(OutboxMessage message) {
    var record = decode(message);
    var topic = Topics.of(record.getClass()).name();
    try {
      template.send(topic, message.contractId(), record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted publishing " + message.id(), e);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new IllegalStateException("the broker did not acknowledge " + message.id() + " on " + topic, e);
    }
  }

  @SuppressWarnings("unchecked")
  static SpecificRecord decode(OutboxMessage message) {
    try {
      var type = (Class<? extends SpecificRecord>) Class.forName(message.type());
      var schema = SpecificData.get().getSchema(type);
      var reader = new SpecificDatumReader<SpecificRecord>(schema);
      return reader.read(null, DecoderFactory.get().binaryDecoder(message.payload(), null));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("unknown outbox message type " + message.type(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
