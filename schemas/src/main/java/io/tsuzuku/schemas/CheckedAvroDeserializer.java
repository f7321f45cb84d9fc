package io.tsuzuku.schemas;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import org.apache.kafka.common.header.Headers;

/**
 * The Avro deserializer every tsuzuku consumer reads with ({@link AvroSerdes#consumerSettings}):
 * a record is decoded, then checked against {@link RecordRules} before any listener sees it. One
 * that breaks a rule fails to deserialize with the rules it breaks, so the consumer's error
 * handling sets it aside on its dead-letter topic at once, as it does an undecodable record, and
 * the partition goes on.
 */
public class CheckedAvroDeserializer<U> extends AvroKafkaDeserializer<U> {

  @Override
  public U deserialize(String topic, byte[] data) {
    return checked(super.deserialize(topic, data));
  }

  @Override
  public U deserialize(String topic, Headers headers, byte[] data) {
    return checked(super.deserialize(topic, headers, data));
  }

  private static <U> U checked(U value) {
    RecordRules.check(value);
    return value;
  }
}
