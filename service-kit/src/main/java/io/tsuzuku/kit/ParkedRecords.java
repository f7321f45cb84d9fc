package io.tsuzuku.kit;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.schemas.Topic;
import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.kit.outbox.MongoOutbox;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.conversions.Bson;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.bson.Document;

/**
 * Events about a contract this service has not learned yet (its registration travels on another
 * topic and may lag by hours), parked instead of blocking their partition or being dead-lettered
 * by a short timer (docs/events.md, "Dead letters and parked records"). A parked record is kept in
 * the service's MongoDB ({@code parked_records}), tried again on a schedule (every
 * {@code retryEvery} at first, doubling to an hour) by sending it again to the topic of its
 * topic's records parked by this service ({@link Topic#parkedTopic}: only this service
 * writes and reads it, and the service's listener of the topic reads it too), and
 * dead-lettered only once it has waited {@code giveUpAfter} since it was first parked. Operators
 * list them at {@code /actuator/parkedrecords}; {@code tsuzuku.parked.records} counts them.
 *
 * <p>A partition's order holds for a contract's records parked and not: a record of a contract
 * whose earlier record on the same topic is parked for the group waits behind it, parked too
 * ({@link #lastAhead}, {@link #parkBehind}), and a contract's parked records of a topic are sent
 * again together, in the order they were first parked, by the one instance that claims the first
 * of them; each stays parked until its group handled it.
 */
public final class ParkedRecords {

  /** The header of a record sent again from the parking: the consumer group that parked it. */
  public static final String PARKED_FOR = "tsuzuku-parked-for";

  /** The header of a record sent again from the parking: when it was first parked (epoch millis). */
  public static final String PARKED_SINCE = "tsuzuku-parked-since";

  /** The header of a record sent again from the parking: how many times it was tried already. */
  public static final String PARKED_TRIES = "tsuzuku-parked-tries";

  /** The header of a record sent again from the parking: its place among its contract's parked records of its topic. */
  public static final String PARKED_ORDER = "tsuzuku-parked-order";

  /** Why a record is parked that could be handled: an earlier one of its contract waits. */
  public static final String BEHIND = "an earlier record of its contract on this topic is parked: it waits behind it";

  private static final Duration LONGEST_WAIT = Duration.ofHours(1);
  private static final Duration CLAIM = Duration.ofMinutes(1);

  /** One parked record as operators read it. */
  public record Parked(String id, String group, String topic, String contractId, String type, String reason,
      Instant parkedSince, int tries, Instant nextTryAt, long order) {}

  /** A parked record due again, and its record to send. */
  public record Due(Parked parked, OutboxMessage message) {}

  private final MongoCollection<Document> parked;
  private final Clock clock;
  private final Duration retryEvery;
  private final Duration giveUpAfter;
  private final AtomicLong lastOrder = new AtomicLong();
  /** The groups with parked records, as last read or parked here (when, in nanoseconds). */
  private final Map<String, Long> groupsParking = new ConcurrentHashMap<>();

  public ParkedRecords(MongoDatabase database, Clock clock, Duration retryEvery, Duration giveUpAfter) {
    this.parked = database.getCollection("parked_records");
    this.clock = clock;
    this.retryEvery = retryEvery;
    this.giveUpAfter = giveUpAfter;
    parked.createIndex(Indexes.ascending("nextTryAt"));
    parked.createIndex(Indexes.ascending("group", "topic", "contractId", "order"));
    refresh();
  }

  /**
   * Reads which groups have parked records (each pass of the parking, and when a consumer is given
   * partitions another instance may have parked records of).
   */
  public void refresh() {
    var started = System.nanoTime();
    var present = parked.distinct("group", String.class).into(new HashSet<>());
    groupsParking.entrySet().removeIf(group -> !present.contains(group.getKey()) && group.getValue() < started);
    present.forEach(group -> groupsParking.putIfAbsent(group, started));
  }

  /**
   * The place of the last record of {@code record}'s contract on its topic that is parked for
   * {@code group} before it (a record sent again from the parking waits behind those parked before
   * it, a record read for the first time behind any); null when it need not wait. Asks the store
   * only while the group has parked records.
   */
  public Long lastAhead(ConsumerRecord<?, ?> record, String group) {
    if (!groupsParking.containsKey(group) || record.key() == null) {
      return null;
    }
    Bson ahead = and(eq("group", group), eq("topic", Topic.source(record.topic())), eq("contractId", String.valueOf(record.key())));
    var order = number(record.headers(), PARKED_ORDER);
    if (order != null) {
      ahead = and(ahead, lt("order", order));
    }
    var last = parked.find(ahead).sort(Sorts.descending("order")).limit(1).first();
    return last == null ? null : last.get("order", 0L);
  }

  /** When a record (sent again from the parking, or not) was first parked; now for a new one. */
  public Instant parkedSince(Headers headers) {
    var since = number(headers, PARKED_SINCE);
    return since == null ? clock.instant() : Instant.ofEpochMilli(since);
  }

  /** A parking header's number; null when it is absent or not a number (a stranger's header stops nothing). */
  static Long number(Headers headers, String name) {
    var value = header(headers, name);
    try {
      return value == null ? null : Long.valueOf(value.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String header(Headers headers, String name) {
    var header = headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Whether a record first parked at {@code since} has waited long enough to be given up. */
  public boolean givenUp(Instant since) {
    return !since.plus(giveUpAfter).isAfter(clock.instant());
  }

  /**
   * Parks the record for {@code group}; parking it again (a try that found the contract still
   * unknown) keeps when it was first parked and its place among its contract's records, and waits
   * longer before the next try.
   */
  public void park(ConsumerRecord<?, ?> record, String group, String reason) {
    park(record, group, reason, null);
  }

  /**
   * Parks the record for {@code group} behind the record of its contract parked at {@code lastAhead}
   * ({@link #lastAhead}): a record read for the first time takes the next place, one sent again
   * keeps its own.
   */
  public void parkBehind(ConsumerRecord<?, ?> record, String group, long lastAhead) {
    park(record, group, BEHIND, lastAhead + 1);
  }

  private void park(ConsumerRecord<?, ?> record, String group, String reason, Long place) {
    var value = (SpecificRecord) record.value();
    var since = parkedSince(record.headers());
    var id = idOf(record, group);
    var tried = number(record.headers(), PARKED_TRIES);
    var tries = tried == null ? 0 : (int) Math.min(tried + 1, Integer.MAX_VALUE);
    var message = KafkaMessagePublisher.encode(id, String.valueOf(record.key()), value, Traces.current());
    var wait = retryEvery.multipliedBy(1L << Math.min(tries, 20));
    var fields = MongoOutbox.document(message)
        .append("group", group)
        .append("topic", Topic.source(record.topic()))
        .append("reason", reason)
        .append("parkedSince", Date.from(since))
        .append("tries", tries)
        .append("nextTryAt", Date.from(clock.instant().plus(wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait)));
    var update = new ArrayList<Bson>();
    fields.forEach((name, field) -> update.add(Updates.set(name, field)));
    var order = number(record.headers(), PARKED_ORDER);
    update.add(order != null ? Updates.set("order", order)
        : Updates.setOnInsert("order", place != null ? place : nextOrder()));
    groupsParking.put(group, System.nanoTime());
    parked.updateOne(eq("_id", id), Updates.combine(update), new UpdateOptions().upsert(true));
    groupsParking.put(group, System.nanoTime()); // a refresh that read the store before this write forgets no group
  }

  private static String idOf(ConsumerRecord<?, ?> record, String group) {
    var value = (SpecificRecord) record.value();
    return group + "/" + ((EventHeader) value.get(value.getSchema().getField("header").pos())).getEventId();
  }

  /**
   * A record sent again from the parking for {@code group} was handled (or dead-lettered): it is
   * parked no more. Until
   * then it stays, claimed, so that a record of its contract written to the topic after it was sent
   * again still waits behind it; one never handled is sent again once its claim runs out. A try
   * that parked it anew made it another try, which stays.
   */
  public void handled(ConsumerRecord<?, ?> record, String group) {
    var parkedFor = header(record.headers(), PARKED_FOR);
    var tries = number(record.headers(), PARKED_TRIES);
    if (group.equals(parkedFor) && tries != null && record.value() instanceof SpecificRecord) {
      parked.deleteOne(and(eq("_id", idOf(record, group)), eq("tries", tries.intValue())));
    }
  }

  private long nextOrder() {
    return lastOrder.updateAndGet(last -> Math.max(last + 1, clock.millis() * 1_000));
  }

  /**
   * Claims the parked records due again (each for a minute, so two instances do not send it both,
   * and sent again after it if it was not handled meanwhile), up to about {@code limit}, with every
   * record of the same contract and topic parked with them, in their order; returns them to be sent
   * in that order. They go when the first of them is due,
   * and the instance that claims it claims them all: two instances never send one contract's
   * records apart.
   */
  public List<Due> claimDue(int limit) {
    var now = clock.instant();
    var due = new ArrayList<Due>();
    var seen = new HashSet<List<String>>();
    for (var d : parked.find(lte("nextTryAt", Date.from(now)))) {
      if (due.size() >= limit) {
        break;
      }
      var key = List.of(d.getString("group"), d.getString("topic"), d.getString("contractId"));
      if (!seen.add(key)) {
        continue;
      }
      var together = parked.find(and(eq("group", key.get(0)), eq("topic", key.get(1)), eq("contractId", key.get(2))))
          .sort(Sorts.ascending("order")).into(new ArrayList<>());
      if (together.isEmpty() || together.get(0).getDate("nextTryAt").toInstant().isAfter(now)) {
        continue; // its first is not due, or being sent by another instance: the rest wait for it
      }
      for (var record : together) {
        var claimed = parked.updateOne(and(eq("_id", record.get("_id")), eq("nextTryAt", record.getDate("nextTryAt"))),
            Updates.set("nextTryAt", Date.from(now.plus(CLAIM))));
        if (claimed.getModifiedCount() != 1) {
          break; // another instance claimed them first
        }
        due.add(new Due(parked(record), MongoOutbox.message(record)));
      }
    }
    return due;
  }

  /**
   * The records due again, sent to the service's parked topic of their topic for their group (the broker acknowledged each);
   * each is parked until its group handled it ({@link #handled}).
   */
  public int sendDue(int limit, java.util.function.BiConsumer<Due, Headers> send) {
    var due = claimDue(limit);
    for (var record : due) {
      var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
      headers.add(PARKED_FOR, record.parked().group().getBytes(StandardCharsets.UTF_8));
      headers.add(PARKED_SINCE, String.valueOf(record.parked().parkedSince().toEpochMilli()).getBytes(StandardCharsets.UTF_8));
      headers.add(PARKED_TRIES, String.valueOf(record.parked().tries()).getBytes(StandardCharsets.UTF_8));
      headers.add(PARKED_ORDER, String.valueOf(record.parked().order()).getBytes(StandardCharsets.UTF_8));
      send.accept(record, headers);
    }
    return due.size();
  }

  /** The parked records, the longest waiting first. */
  public List<Parked> list(int limit) {
    return parked.find().sort(new Document("parkedSince", 1)).limit(limit).map(ParkedRecords::parked).into(new ArrayList<>());
  }

  public long count() {
    return parked.countDocuments();
  }

  private static Parked parked(Document d) {
    return new Parked(d.getString("_id"), d.getString("group"), d.getString("topic"), d.getString("contractId"),
        d.getString("type"), d.getString("reason"), d.getDate("parkedSince").toInstant(), d.getInteger("tries", 0),
        d.getDate("nextTryAt").toInstant(), d.get("order", 0L));
  }
}
