package io.tsuzuku.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.RetriesExhausted;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** Outbox messages name their writer's schema, so another version of the service reads them. */
class KafkaMessagePublisherTest {

  @Test
  void aMessageRoundTripsWithItsWritersSchema() {
    var record = exhausted();
    var message = KafkaMessagePublisher.encode("e-1", "c-1", record);

    assertThat(message.writerSchema()).as("a fingerprint, not the schema").hasSize(16)
        .isEqualTo(String.format("%016x", SchemaNormalization.parsingFingerprint64(record.getSchema())));
    assertThat(KafkaMessagePublisher.decode(message)).isEqualTo(record);
  }

  @Test
  void aMessageWrittenByAVersionWithAnotherFieldReadsInThisOne() throws IOException {
    // a later version that added a field with a default: this version's class reads without it
    var current = RetriesExhausted.getClassSchema();
    var fields = new java.util.ArrayList<Schema.Field>();
    for (var field : current.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    // added after the header: a reader that ignored the writer's schema would read it as the period
    fields.add(1, new Schema.Field("addedLater", SchemaBuilder.builder().stringType(), "a field of a later version", "x"));
    var later = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    var record = exhausted();
    GenericRecord written = new GenericData.Record(later);
    for (var field : current.getFields()) {
      written.put(field.name(), GenericData.get().deepCopy(field.schema(), record.get(field.pos())));
    }
    written.put("addedLater", "from the future");
    var bytes = new ByteArrayOutputStream();
    var encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    new SpecificDatumWriter<GenericRecord>(later).write(written, encoder);
    encoder.flush();

    var byFingerprint = new OutboxMessage("e-1", "c-1", RetriesExhausted.class.getName(), bytes.toByteArray(),
        WriterSchemas.fingerprint(later), null);
    assertThatThrownBy(() -> KafkaMessagePublisher.decode(byFingerprint)).as("before the later version stored its schemas")
        .isInstanceOf(UnpublishableMessageException.class).hasMessageContaining("no store of writer schemas");
    WriterSchemas.readFrom(Map.of(WriterSchemas.fingerprint(later), later.toString())::get);

    assertThat(KafkaMessagePublisher.decode(byFingerprint)).isEqualTo(record);
    assertThat(KafkaMessagePublisher.decode(new OutboxMessage("e-1", "c-1", RetriesExhausted.class.getName(), bytes.toByteArray(),
        later.toString(), null))).as("written by a version that carried the schema whole").isEqualTo(record);
  }

  @Test
  void aPayloadThatDoesNotDecodeIsUnpublishableNotATransientFailure() {
    assertThatThrownBy(() -> KafkaMessagePublisher.decode(
        new OutboxMessage("e-1", "c-1", RetriesExhausted.class.getName(), new byte[] {1, 2, 3})))
        .isInstanceOf(UnpublishableMessageException.class).hasMessageContaining("undecodable");
    assertThatThrownBy(() -> KafkaMessagePublisher.decode(new OutboxMessage("e-2", "c-1", "io.tsuzuku.events.Gone", new byte[0])))
        .isInstanceOf(UnpublishableMessageException.class).hasMessageContaining("unknown record type");
  }

  private static RetriesExhausted exhausted() {
    return RetriesExhausted.newBuilder()
        .setHeader(EventHeader.newBuilder().setEventId("e-1").setOrgId("org-1").setContractId("c-1")
            .setOccurredAt(Instant.parse("2027-04-01T00:00:00Z")).build())
        .setPeriod(LocalDate.of(2027, 3, 1))
        .setRetries(3)
        .build();
  }
}
