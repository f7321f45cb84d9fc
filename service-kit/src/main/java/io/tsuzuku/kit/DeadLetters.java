package io.tsuzuku.kit;

import io.tsuzuku.schemas.KafkaAccess;
import io.tsuzuku.schemas.Topic;
import io.tsuzuku.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The operators' view of the dead-letter topics: list a topic's dead letters with the reason each
 * was set aside, and replay chosen ones to their source topic once the cause is fixed. A replay is
 * recorded on {@code dead-letter-replays} (compacted, keyed by the dead letter), so the same dead
 * letter is not replayed twice by accident (a crash between the replay and its record could let it
 * go once more; consumers de-duplicate by event id); a replayed record carries {@code
 * tsuzuku-replayed-from}. The records go back byte for byte (key, value, their own headers).
 *
 * <pre>
 * java -cp … io.tsuzuku.kit.DeadLetters list   kafka:9092 payment-outcomes-dlt
 * java -cp … io.tsuzuku.kit.DeadLetters replay kafka:9092 payment-outcomes-dlt 0:17 2:4
 * </pre>
 */
public final class DeadLetters implements AutoCloseable {

  /** The header a replayed record carries: the dead letter it came from. */
  public static final String REPLAYED_FROM = "tsuzuku-replayed-from";

  /**
   * The header a dead letter carries with why it was set aside, in words (the rules an
   * unprocessable record breaks), where the container's own exception message may only say that
   * deserializing failed.
   */
  public static final String REASON = "tsuzuku-dlt-reason";

  private static final String DLT_HEADER_PREFIX = "kafka_dlt-";
  private static final Duration POLL = Duration.ofMillis(500);

  /** One dead letter as an operator reads it: {@code group} is the consumer group that set it aside. */
  public record DeadLetter(
      int partition, long offset, String key, String sourceTopic, String group, String reason, Instant at,
      boolean replayed) {

    /** {@code partition:offset}, as {@code replay} takes it. */
    public String position() {
      return partition + ":" + offset;
    }
  }

  private final Map<String, Object> client;
  private final Clock clock;
  private final KafkaProducer<String, byte[]> producer;

  /** @param client the bootstrap servers and credentials of an operator ({@link KafkaAccess#client}) */
  public DeadLetters(Map<String, Object> client) {
    this(client, Clock.systemUTC());
  }

  /** @param clock when a replay happened, as its record says */
  public DeadLetters(Map<String, Object> client, Clock clock) {
    this.client = Map.copyOf(client);
    this.clock = clock;
    var settings = new java.util.HashMap<>(client);
    settings.putAll(Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    this.producer = new KafkaProducer<>(settings);
  }

  /** Every dead letter of {@code deadLetterTopic}, oldest first per partition. */
  public List<DeadLetter> list(String deadLetterTopic) {
    var replayed = replayed();
    return read(deadLetterTopic).stream()
        .map(r -> new DeadLetter(r.partition(), r.offset(), r.key(), sourceTopic(r),
            header(r, "kafka_dlt-original-consumer-group"), reason(r),
            Instant.ofEpochMilli(r.timestamp()), replayed.contains(ledgerKey(deadLetterTopic, r.partition(), r.offset()))))
        .toList();
  }

  /**
   * Replays the dead letters at {@code positions} ({@code partition:offset}) to their source topic;
   * one already replayed is not sent again.
   *
   * @return one line per position: replayed to which topic, already replayed, or not found
   */
  public List<String> replay(String deadLetterTopic, List<String> positions) {
    var replayed = replayed();
    var records = read(deadLetterTopic);
    var report = new ArrayList<String>();
    for (var position : positions) {
      var parts = position.split(":", 2);
      var partition = Integer.parseInt(parts[0]);
      var offset = Long.parseLong(parts[1]);
      var key = ledgerKey(deadLetterTopic, partition, offset);
      if (replayed.contains(key)) {
        report.add(position + " already replayed");
        continue;
      }
      var found = records.stream().filter(r -> r.partition() == partition && r.offset() == offset).findFirst();
      if (found.isEmpty()) {
        report.add(position + " not found on " + deadLetterTopic);
        continue;
      }
      var record = found.get();
      var again = new ProducerRecord<>(sourceTopic(record), null, record.key(), record.value());
      for (Header header : record.headers()) {
        if (!header.key().startsWith(DLT_HEADER_PREFIX)) {
          again.headers().add(header);
        }
      }
      again.headers().add(REPLAYED_FROM, key.getBytes(StandardCharsets.UTF_8));
      send(again);
      send(new ProducerRecord<>(Topics.DEAD_LETTER_REPLAYS, key,
          (sourceTopic(record) + " " + clock.instant()).getBytes(StandardCharsets.UTF_8)));
      replayed.add(key);
      report.add(position + " replayed to " + sourceTopic(record));
    }
    return report;
  }

  private void send(ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the broker did not acknowledge a record to " + record.topic(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private Set<String> replayed() {
    var keys = new HashSet<String>();
    read(Topics.DEAD_LETTER_REPLAYS).forEach(r -> keys.add(r.key()));
    return keys;
  }

  /** Every record of the topic, from its start to its end as of now. */
  private List<ConsumerRecord<String, byte[]>> read(String topic) {
    var settings = new java.util.HashMap<>(client);
    settings.putAll(Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    // assigned partitions, no group: nothing is committed for an operator's reading
    try (var consumer = new KafkaConsumer<String, byte[]>(settings)) {
      var partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      var records = new ArrayList<ConsumerRecord<String, byte[]>>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(POLL).forEach(records::add);
      }
      return records;
    }
  }

  private static String sourceTopic(ConsumerRecord<String, byte[]> record) {
    var original = header(record, "kafka_dlt-original-topic");
    // a record back from the parking was first written to the topic its parked topic carries records of
    return Topic.source(original != null ? original : record.topic().replaceAll(java.util.regex.Pattern.quote(Topic.DEAD_LETTER_SUFFIX) + "$", ""));
  }

  private static String reason(ConsumerRecord<String, byte[]> record) {
    var reason = header(record, REASON);
    return reason != null ? reason : header(record, "kafka_dlt-exception-message");
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static String ledgerKey(String deadLetterTopic, int partition, long offset) {
    return deadLetterTopic + "/" + partition + "/" + offset;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }

  public static void main(String[] args) {
    if (args.length < 3 || !(args[0].equals("list") || args[0].equals("replay"))) {
      System.err.println("usage: DeadLetters list <bootstrap-servers> <topic>-dlt | replay <bootstrap-servers> <topic>-dlt <partition:offset>..."
          + " (as the principal " + KafkaAccess.DEPLOYMENT + ", its password in the directory " + KafkaAccess.CREDENTIALS_DIR + " names)");
      System.exit(2);
    }
    var client = KafkaAccess.client(name -> name.equals("KAFKA_BOOTSTRAP_SERVERS") ? args[1] : System.getenv(name), KafkaAccess.DEPLOYMENT);
    try (var deadLetters = new DeadLetters(client)) {
      if (args[0].equals("list")) {
        for (var d : deadLetters.list(args[2])) {
          System.out.printf("%s key=%s from=%s by=%s at=%s%s reason=%s%n", d.position(), d.key(), d.sourceTopic(), d.group(), d.at(),
              d.replayed() ? " (replayed)" : "", d.reason());
        }
      } else {
        deadLetters.replay(args[2], List.of(args).subList(3, args.length)).forEach(System.out::println);
      }
    }
  }
}
