package io.tsuzuku.schemas;

import java.util.List;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * A Kafka topic of the event contract: its name, its only writer, the key type and the Avro record
 * types its values may be. Code never spells a topic name; it names a {@link Topics} constant.
 *
 * @param <V> the value type a consumer of this topic receives: the record class for a topic of one
 *     record type, {@link SpecificRecord} for a topic that carries several
 */
public record Topic<V extends SpecificRecord>(
    String name,
    String writer,
    List<String> readers,
    Class<String> keyType,
    Class<V> valueType,
    List<Class<? extends SpecificRecord>> recordTypes) {

  /** The suffix of a topic's dead-letter topic, where undecodable or unprocessable records land. */
  public static final String DEAD_LETTER_SUFFIX = "-dlt";

  /** Between a topic's name and a service's in the topic its parked records come back on ({@link #parkedTopic}). */
  public static final String PARKED_INFIX = "-parked-";

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(writer, "writer");
    readers = List.copyOf(readers);
    recordTypes = List.copyOf(recordTypes);
    if (recordTypes.isEmpty()) {
      throw new IllegalArgumentException("topic " + name + " carries no record type");
    }
  }

  static <V extends SpecificRecord> Topic<V> of(
      String name, String writer, List<String> readers, Class<V> recordType) {
    return new Topic<>(name, writer, readers, String.class, recordType, List.of(recordType));
  }

  @SafeVarargs
  static Topic<SpecificRecord> ofSeveral(
      String name,
      String writer,
      List<String> readers,
      Class<? extends SpecificRecord>... recordTypes) {
    return new Topic<>(
        name, writer, readers, String.class, SpecificRecord.class, List.of(recordTypes));
  }

  /** The name of the topic where records of this topic that cannot be processed are kept. */
  public String deadLetterTopic() {
    return name + DEAD_LETTER_SUFFIX;
  }

  /**
   * The topic where {@code service}'s records of this topic that waited for their contract come
   * back to it from its parking: only that service writes and reads it, so a service needs no right
   * to write the topics it reads.
   */
  public String parkedTopic(String service) {
    return parkedTopic(name, service);
  }

  /** The parked topic of {@code service} for records of {@code topic} ({@link #parkedTopic(String)}). */
  public static String parkedTopic(String topic, String service) {
    return topic + PARKED_INFIX + service;
  }

  /** What {@code service}'s listener of this topic subscribes to: the topic and its parked topic. */
  public String[] withParkedTopic(String service) {
    return new String[] {name, parkedTopic(service)};
  }

  /** The topic a record was written to first: {@code topic} itself, or the one a parked topic carries records of. */
  public static String source(String topic) {
    var infix = topic.indexOf(PARKED_INFIX);
    return infix < 0 ? topic : topic.substring(0, infix);
  }

  /** Whether a record of this type may be written to this topic. */
  public boolean carries(Class<? extends SpecificRecord> recordType) {
    return recordTypes.contains(recordType);
  }
}
