package io.tsuzuku.kit.outbox;

import io.tsuzuku.kit.AcknowledgedSender;
import io.tsuzuku.kit.Traces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes outbox messages to their record type's topic, keyed by contract id, and waits for the
 * broker's acknowledgements together: the relay clears a message only once it was acknowledged.
 * Also the one place that encodes a record into an outbox message.
 */
public final class KafkaMessagePublisher implements MessagePublisher {

  /** How long a publication waits for the broker's acknowledgement before it counts as failed. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final AcknowledgedSender sender;

  public KafkaMessagePublisher(KafkaTemplate<String, SpecificRecord> template, Duration timeout) {
    this.sender = new AcknowledgedSender(template, timeout);
  }

  @Override
  public List<Outcome> publish(List<OutboxMessage> messages) {
    var outcomes = new ArrayList<Outcome>(messages.size());
    var events = new ArrayList<AcknowledgedSender.Keyed>(messages.size());
    for (var message : messages) {
      try {
        events.add(new AcknowledgedSender.Keyed(message.contractId(), decode(message), message.traceParent()));
        outcomes.add(null); // filled in below
      } catch (UnpublishableMessageException e) {
        outcomes.add(new Outcome.Unpublishable(e.getMessage()));
      }
    }
    var acknowledged = sender.sendAll(events).iterator();
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) == null) {
        var failure = acknowledged.next();
        outcomes.set(i, failure == null ? Outcome.ACKNOWLEDGED : new Outcome.Failed(failure));
      }
    }
    return outcomes;
  }

  /**
   * The record as an outbox message with the event id {@code id}, keyed by {@code contractId}, in
   * the trace current on this thread (the record being handled), or a new one.
   */
  public static OutboxMessage encode(String id, String contractId, SpecificRecord record) {
    return encode(id, contractId, record, null);
  }

  /** The record as an outbox message in the trace {@code traceParent} (null: as above). */
  public static OutboxMessage encode(String id, String contractId, SpecificRecord record, String traceParent) {
    var bytes = new ByteArrayOutputStream();
    var encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    try {
      new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new OutboxMessage(id, contractId, record.getClass().getName(), bytes.toByteArray(), WriterSchemas.of(record.getClass()),
        traceParent != null ? traceParent : Traces.currentOrNew());
  }

  /**
   * The record of {@code message}, read with the schema it was written with and resolved to this
   * version's class: a message written by another version of the service (a rolling deploy) reads
   * as long as the two schemas are compatible, which the registry's rule requires of every change.
   *
   * @throws UnpublishableMessageException when no retry can help: unknown type, or a payload that
   *     does not decode
   */
  @SuppressWarnings("unchecked")
  public static SpecificRecord decode(OutboxMessage message) {
    try {
      var type = (Class<? extends SpecificRecord>) Class.forName(message.type());
      var schema = SpecificData.get().getSchema(type);
      var writer = message.writerSchema() == null ? schema : WriterSchemas.schema(type, message.writerSchema());
      if (writer == null) {
        throw new UnpublishableMessageException("the schema " + message.writerSchema() + " that " + message.type()
            + " was written with is in no store of writer schemas this instance reads", null);
      }
      var reader = new SpecificDatumReader<SpecificRecord>(writer, schema);
      return reader.read(null, DecoderFactory.get().binaryDecoder(message.payload(), null));
    } catch (UnpublishableMessageException e) {
      throw e;
    } catch (ClassNotFoundException e) {
      throw new UnpublishableMessageException("unknown record type " + message.type(), e);
    } catch (IOException | RuntimeException e) {
      throw new UnpublishableMessageException("undecodable " + message.type() + ": " + e, e);
    }
  }
}
