package io.tsuzuku.kit.outbox;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.bson.Document;

/**
 * How the relay finds the documents of one collection that hold messages without searching the
 * collection: every write that gives documents messages marks them afterwards in a small
 * collection beside it ({@code <collection>_to_relay}, one mark per document, each with a fresh
 * stamp), and the relay reads the marks, then the marked documents by id. A mark goes once the
 * relay has cleared what it read, and only while it holds the stamp read: a write meanwhile put a
 * new stamp, so its mark stays for the next pass.
 *
 * <p>What a crash left unmarked (between a write and its mark) is found by a sweep, the relay's
 * query of the whole collection ({@link MongoOutbox#pending()}), at the relay's first pass and
 * every {@link #SWEEP} after. A writer's instance only marks; the relay's instance reads, unmarks
 * and times the sweeps (docs/architecture.md, "State and the messages it causes in one document").
 */
public final class MongoRelayMarks {

  /** How often the relay searches the whole collection for work that was left unmarked. */
  public static final Duration SWEEP = Duration.ofMinutes(1);

  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

  private final MongoCollection<Document> documents;
  private final MongoCollection<Document> marks;
  private final Clock clock;
  /** The marks the relay read, by document id: the stamp each held. */
  private final Map<Object, String> read = new HashMap<>();
  private Instant nextSweep = Instant.MIN;
  private boolean sweeping;

  /** @param clock the machine's time, for the sweeps (not a business clock) */
  public MongoRelayMarks(MongoDatabase database, String collection, Clock clock) {
    this.documents = database.getCollection(collection);
    this.marks = database.getCollection(collection + "_to_relay");
    this.clock = clock;
    WriterSchemas.storeIn(database); // before the first message is written into this database
    // a mark is removed by its id and the stamp read: exactly a unique index's keys
    marks.createIndex(Indexes.ascending("_id", "stamp"), new IndexOptions().unique(true));
  }

  public MongoRelayMarks(MongoDatabase database, String collection) {
    this(database, collection, Clock.systemUTC());
  }

  /** The collection whose documents hold the outbox. */
  public MongoCollection<Document> documents() {
    return documents;
  }

  /** Marks these documents, after a write that gave them messages (a mark there already gets a new stamp). */
  public void mark(Collection<?> ids) {
    if (ids.isEmpty()) {
      return;
    }
    marks.bulkWrite(ids.stream().<WriteModel<Document>>map(id -> new UpdateOneModel<>(eq("_id", id),
        Updates.set("stamp", UUID.randomUUID().toString()), new UpdateOptions().upsert(true))).toList(), UNORDERED);
  }

  /**
   * Whether this pass of the relay sweeps the collection: the first pass and one every {@link
   * #SWEEP}, until a sweep finds nothing left ({@link #swept}).
   */
  public synchronized boolean sweeping() {
    if (!sweeping && !clock.instant().isBefore(nextSweep)) {
      sweeping = true;
    }
    return sweeping;
  }

  /** The sweep found nothing left: the relay reads marks until the next one is due. */
  public synchronized void swept() {
    sweeping = false;
    nextSweep = clock.instant().plus(SWEEP);
  }

  /** The ids of up to {@code limit} marked documents; their stamps are kept for {@link #unmark}. */
  public synchronized Set<Object> read(int limit) {
    read.clear();
    marks.find().limit(limit).forEach(mark -> read.put(mark.get("_id"), mark.getString("stamp")));
    return Set.copyOf(read.keySet());
  }

  /** Removes the marks read of these documents, each only while it still holds the stamp read. */
  public synchronized void unmark(Collection<?> ids) {
    List<WriteModel<Document>> deletes = ids.stream().filter(read::containsKey)
        .<WriteModel<Document>>map(id -> new DeleteOneModel<>(new Document("_id", id).append("stamp", read.remove(id))))
        .toList();
    if (!deletes.isEmpty()) {
      marks.bulkWrite(deletes, UNORDERED);
    }
  }
}
