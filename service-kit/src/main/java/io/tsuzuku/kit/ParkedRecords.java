package io.tsuzuku.kit;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.kit.outbox.MongoOutbox;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.bson.Document;

/**
 * Events about a contract this service has not learned yet (its registration travels on another
 * topic and may lag by hours), parked instead of blocking their partition or being dead-lettered
 * by a short timer (docs/events.md, "Dead letters and parked records"). A parked record is kept in
 * the service's MongoDB ({@code parked_records}), tried again on a schedule (every
 * {@code retryEvery} at first, doubling to an hour) by sending it again to its topic for this
 * consumer group only ({@link #PARKED_FOR}; the other groups' listeners skip it), and
 * dead-lettered only once it has waited {@code giveUpAfter} since it was first parked. Operators
 * list them at {@code /actuator/parkedrecords}; {@code tsuzuku.parked.records} counts them.
 */
public final class ParkedRecords {

  /** The header of a record sent again from the parking: the consumer group that parked it. */
  public static final String PARKED_FOR = "tsuzuku-parked-for";

  /** The header of a record sent again from the parking: when it was first parked (epoch millis). */
  public static final String PARKED_SINCE = "tsuzuku-parked-since";

  /** The header of a record sent again from the parking: how many times it was tried already. */
  public static final String PARKED_TRIES = "tsuzuku-parked-tries";

  private static final Duration LONGEST_WAIT = Duration.ofHours(1);
  private static final Duration CLAIM = Duration.ofMinutes(1);

  /** One parked record as operators read it. */
  public record Parked(String id, String group, String topic, String contractId, String type, String reason,
      Instant parkedSince, int tries, Instant nextTryAt) {}

  /** A parked record due again, and its record to send. */
  public record Due(Parked parked, OutboxMessage message) {}

  private final MongoCollection<Document> parked;
  private final Clock clock;
  private final Duration retryEvery;
  private final Duration giveUpAfter;

  public ParkedRecords(MongoDatabase database, Clock clock, Duration retryEvery, Duration giveUpAfter) {
    this.parked = database.getCollection("parked_records");
    this.clock = clock;
    this.retryEvery = retryEvery;
    this.giveUpAfter = giveUpAfter;
    parked.createIndex(Indexes.ascending("nextTryAt"));
  }

  /** When a record (sent again from the parking, or not) was first parked; now for a new one. */
  public Instant parkedSince(Headers headers) {
    var since = header(headers, PARKED_SINCE);
    return since == null ? clock.instant() : Instant.ofEpochMilli(Long.parseLong(since));
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
   * unknown) keeps when it was first parked and waits longer before the next try.
   */
  public void park(ConsumerRecord<?, ?> record, String group, String reason) {
    var value = (SpecificRecord) record.value();
    var since = parkedSince(record.headers());
    var id = group + "/" + ((EventHeader) value.get(value.getSchema().getField("header").pos())).getEventId();
    var tried = header(record.headers(), PARKED_TRIES);
    var tries = tried == null ? 0 : Integer.parseInt(tried) + 1;
    var message = KafkaMessagePublisher.encode(id, String.valueOf(record.key()), value, Traces.current());
    var wait = retryEvery.multipliedBy(1L << Math.min(tries, 20));
    parked.replaceOne(eq("_id", id), MongoOutbox.document(message).append("_id", id)
        .append("group", group)
        .append("topic", record.topic())
        .append("reason", reason)
        .append("parkedSince", Date.from(since))
        .append("tries", tries)
        .append("nextTryAt", Date.from(clock.instant().plus(wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait))),
        new ReplaceOptions().upsert(true));
  }

  /**
   * Claims up to {@code limit} parked records due again (each for a minute, so two instances do not
   * send it both) and returns them to be sent.
   */
  public List<Due> claimDue(int limit) {
    var now = clock.instant();
    var due = new ArrayList<Due>();
    for (var d : parked.find(lte("nextTryAt", Date.from(now))).limit(limit)) {
      var claimed = parked.updateOne(and(eq("_id", d.get("_id")), eq("nextTryAt", d.getDate("nextTryAt"))),
          Updates.set("nextTryAt", Date.from(now.plus(CLAIM))));
      if (claimed.getModifiedCount() == 1) {
        due.add(new Due(parked(d), MongoOutbox.message(d)));
      }
    }
    return due;
  }

  /**
   * The records due again, sent to their topic for their group only (the broker acknowledged each),
   * then parked no more: a try that finds its contract still unknown parks it anew.
   */
  public int sendDue(int limit, java.util.function.BiConsumer<Due, Headers> send) {
    var due = claimDue(limit);
    for (var record : due) {
      var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
      headers.add(PARKED_FOR, record.parked().group().getBytes(StandardCharsets.UTF_8));
      headers.add(PARKED_SINCE, String.valueOf(record.parked().parkedSince().toEpochMilli()).getBytes(StandardCharsets.UTF_8));
      headers.add(PARKED_TRIES, String.valueOf(record.parked().tries()).getBytes(StandardCharsets.UTF_8));
      send.accept(record, headers);
      sent(record.parked());
    }
    return due.size();
  }

  /** A record sent again: it is parked no more (a try that finds its contract still unknown parks it anew). */
  public void sent(Parked record) {
    parked.deleteOne(and(eq("_id", record.id()), eq("tries", record.tries())));
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
        d.getDate("nextTryAt").toInstant());
  }
}
