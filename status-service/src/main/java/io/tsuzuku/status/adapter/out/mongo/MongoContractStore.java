package io.tsuzuku.status.adapter.out.mongo;

import io.tsuzuku.kit.outbox.MongoOutbox;
import io.tsuzuku.kit.MongoInserts;
import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import io.tsuzuku.status.application.HistoryEntry;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.status.application.StoredContract;
import io.tsuzuku.status.application.port.ContractStore;
import io.tsuzuku.status.application.port.HistoryLog;
import io.tsuzuku.status.application.port.HistoryReader;
import io.tsuzuku.status.application.port.OutboxStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;

/**
 * Contracts in MongoDB, one document each, written with single-document atomicity only (no
 * transactions: the embedded wire server has none, and none are needed). Every write is guarded by
 * the document's revision.
 *
 * <p>The relay finds what was written through a small collection of marks, {@code contracts_to_relay}
 * (a contract's id and the revision written): every write with something to relay marks its
 * contracts after it, and the relay reads the marks, then the marked contracts by id, instead of
 * searching every contract; a mark goes once the relay has cleared what that revision held. What a
 * crash left unmarked (between a write and its mark) the relay finds by a sweep of every contract,
 * at its first pass and every {@link #SWEEP} after.
 */
public final class MongoContractStore implements ContractStore, OutboxStore, HistoryLog, HistoryReader {

  private static final int RELAY_BATCH = 2 * io.tsuzuku.kit.outbox.OutboxRelay.CHUNK;
  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);
  /** A document whose outbox and history entries were all relayed, at the revision the relay read. */
  private static final org.bson.conversions.Bson CLEARED = Updates.combine(
      Updates.set("outbox", List.of()),
      Updates.set("pendingHistory", List.of()),
      Updates.set("hasPendingWork", false),
      Updates.inc("revision", 1L));

  /** How often the relay searches every contract for work that was left unmarked. */
  public static final Duration SWEEP = Duration.ofMinutes(1);

  private final MongoCollection<Document> contracts;
  private final MongoCollection<Document> history;
  private final MongoCollection<Document> marks;
  private final Clock clock;
  /** The marks the relay read, by contract: the revision each held. */
  private final Map<String, Long> marksRead = new HashMap<>();
  private Instant nextSweep = Instant.MIN;
  private boolean sweeping;

  public MongoContractStore(MongoDatabase database) {
    this(database, Clock.systemUTC());
  }

  /** @param clock the machine's time, for the sweeps (not a business clock) */
  public MongoContractStore(MongoDatabase database, Clock clock) {
    this.contracts = database.getCollection("contracts");
    this.history = database.getCollection("contract_history");
    this.marks = database.getCollection("contracts_to_relay");
    this.clock = clock;
    history.createIndex(Indexes.ascending("contractId", "at"));
    MongoOutbox.createIndexes(contracts);
    marks.createIndex(Indexes.ascending("_id", "revision"), new IndexOptions().unique(true));
  }

  @Override
  public Optional<StoredContract> load(String contractId) {
    return Optional.ofNullable(contracts.find(eq("_id", contractId)).first())
        .map(ContractDocuments::fromDocument);
  }

  @Override
  public Map<String, StoredContract> loadAll(Collection<String> contractIds) {
    var found = new HashMap<String, StoredContract>();
    contracts.find(Filters.in("_id", contractIds)).map(ContractDocuments::fromDocument)
        .forEach(stored -> found.put(stored.contract().contractId(), stored));
    return found;
  }

  @Override
  public boolean save(StoredContract stored) {
    var revision = stored.revision();
    var document = ContractDocuments.toDocument(stored, revision + 1);
    var id = stored.contract().contractId();
    var saved = revision == 0
        ? MongoInserts.insertOnce(contracts, document)
        : contracts.replaceOne(MongoOutbox.byIdAndRevision(id, revision), document).getModifiedCount() == 1;
    if (saved) {
      mark(List.of(stored));
    }
    return saved;
  }

  /**
   * New contracts in one unordered bulk insert (an id that exists already is lost); the others in
   * one bulk write of guarded replacements. When some replacement matched nothing, one read by id
   * tells which (the bulk result counts them, it does not name them): those whose document has not
   * seen the last event written with them.
   */
  @Override
  public Set<String> saveAll(List<StoredContract> changed) {
    var lost = written(changed);
    mark(changed.stream().filter(stored -> !lost.contains(stored.contract().contractId())).toList());
    return lost;
  }

  private Set<String> written(List<StoredContract> changed) {
    var lost = new HashSet<String>();
    var fresh = changed.stream().filter(stored -> stored.revision() == 0).toList();
    MongoInserts.insertAllOnce(contracts, fresh.stream().map(stored -> ContractDocuments.toDocument(stored, 1)).toList())
        .forEach(position -> lost.add(fresh.get(position).contract().contractId()));
    var replaced = changed.stream().filter(stored -> stored.revision() > 0).toList();
    if (replaced.isEmpty()) {
      return lost;
    }
    var written = contracts.bulkWrite(replaced.stream().<WriteModel<Document>>map(stored -> new ReplaceOneModel<>(
        MongoOutbox.byIdAndRevision(stored.contract().contractId(), stored.revision()),
        ContractDocuments.toDocument(stored, stored.revision() + 1))).toList(), UNORDERED);
    if (written.getMatchedCount() == replaced.size()) {
      return lost;
    }
    var now = loadAll(replaced.stream().map(stored -> stored.contract().contractId()).toList());
    for (var stored : replaced) {
      var id = stored.contract().contractId();
      if (!now.get(id).hasSeen(stored.recentEventIds().get(stored.recentEventIds().size() - 1))) {
        lost.add(id);
      }
    }
    return lost;
  }

  /**
   * Marks written contracts for the relay, each with the revision written (a later write's mark
   * replaces an earlier one).
   */
  private void mark(List<StoredContract> written) {
    var marked = written.stream().filter(StoredContract::hasPendingWork)
        .<WriteModel<Document>>map(stored -> new UpdateOneModel<>(eq("_id", stored.contract().contractId()),
            Updates.max("revision", stored.revision() + 1), new UpdateOptions().upsert(true)))
        .toList();
    if (!marked.isEmpty()) {
      marks.bulkWrite(marked, UNORDERED);
    }
  }

  /**
   * The marked contracts that still have work (a batch), read by id; or, at the first pass and
   * every {@link #SWEEP} after, every contract with work, batch after batch until none is left.
   */
  @Override
  public synchronized List<StoredContract> withPendingWork() {
    if (!sweeping && !clock.instant().isBefore(nextSweep)) {
      sweeping = true;
    }
    if (sweeping) {
      var found = contracts.find(eq("hasPendingWork", true)).limit(RELAY_BATCH).map(ContractDocuments::fromDocument)
          .into(new ArrayList<>());
      if (!found.isEmpty()) {
        return found;
      }
      sweeping = false;
      nextSweep = clock.instant().plus(SWEEP);
    }
    marksRead.clear();
    marks.find().limit(RELAY_BATCH).forEach(mark -> marksRead.put(mark.getString("_id"), mark.getLong("revision")));
    var pending = new ArrayList<StoredContract>();
    var done = new ArrayList<StoredContract>();
    loadAll(marksRead.keySet()).values().forEach(stored -> (stored.hasPendingWork() ? pending : done).add(stored));
    unmark(done); // relayed since (by a sweep, or by the relay that read them before this write's mark)
    return pending;
  }

  /**
   * Removes the marks the relay read, each only while it holds the revision read (a key of a
   * unique index): a mark a later write moved on stays for the next pass.
   */
  private void unmark(List<StoredContract> relayed) {
    var read = relayed.stream().map(stored -> stored.contract().contractId()).filter(marksRead::containsKey)
        .<WriteModel<Document>>map(id -> new DeleteOneModel<>(MongoOutbox.byIdAndRevision(id, marksRead.remove(id))))
        .toList();
    if (!read.isEmpty()) {
      marks.bulkWrite(read, UNORDERED);
    }
  }

  /**
   * The relayed documents' history entries appended in one bulk write, then their outboxes cleared
   * in another, each guarded by the revision the relay read; those written meanwhile are cleared
   * one by one ({@link #clear}), keeping what came after.
   */
  @Override
  public synchronized void relayed(List<StoredContract> documents) {
    var entries = documents.stream().flatMap(d -> d.pendingHistory().stream())
        .<WriteModel<Document>>map(e -> new ReplaceOneModel<>(eq("_id", e.id()), ContractDocuments.history(e),
            new ReplaceOptions().upsert(true)))
        .toList();
    if (!entries.isEmpty()) {
      history.bulkWrite(entries, UNORDERED);
    }
    var cleared = contracts.bulkWrite(documents.stream().<WriteModel<Document>>map(d -> new UpdateOneModel<>(
        MongoOutbox.byIdAndRevision(d.contract().contractId(), d.revision()), CLEARED)).toList(), UNORDERED);
    if (cleared.getMatchedCount() < documents.size()) { // some were written meanwhile: those still hold what was relayed
      var now = loadAll(documents.stream().map(d -> d.contract().contractId()).toList());
      documents.stream().filter(d -> stillHolds(now.get(d.contract().contractId()), d)).forEach(this::clear);
    }
    unmark(documents);
  }

  /**
   * Removes exactly what was relayed, keeping what was written since, with filters by id only; the
   * flag is lowered once nothing is left, unless the document was written meanwhile.
   */
  @Override
  public void clear(StoredContract relayed) {
    var id = relayed.contract().contractId();
    var after = contracts.findOneAndUpdate(eq("_id", id), Updates.combine(
            Updates.pullByFilter(new Document("outbox", new Document("id", new Document("$in", ids(relayed.outbox()))))),
            Updates.pullByFilter(new Document("pendingHistory", new Document("_id", new Document("$in", historyIds(relayed.pendingHistory()))))),
            Updates.inc("revision", 1L)),
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    if (after != null && !ContractDocuments.fromDocument(after).hasPendingWork()) {
      contracts.updateOne(MongoOutbox.byIdAndRevision(id, after.get("revision")),
          Updates.combine(Updates.set("hasPendingWork", false), Updates.inc("revision", 1L)));
    }
  }

  @Override
  public void append(HistoryEntry entry) {
    history.replaceOne(eq("_id", entry.id()), ContractDocuments.history(entry), new ReplaceOptions().upsert(true));
  }

  @Override
  public List<HistoryEntry> historyOf(String contractId) {
    return history.find(eq("contractId", contractId)).sort(new Document("at", 1))
        .map(ContractDocuments::history)
        .into(new ArrayList<>());
  }

  private static boolean stillHolds(StoredContract current, StoredContract relayed) {
    return current != null && (ids(current.outbox()).stream().anyMatch(ids(relayed.outbox())::contains)
        || historyIds(current.pendingHistory()).stream().anyMatch(historyIds(relayed.pendingHistory())::contains));
  }

  private static List<String> ids(List<OutboxMessage> messages) {
    return messages.stream().map(OutboxMessage::id).toList();
  }

  private static List<String> historyIds(List<HistoryEntry> entries) {
    return entries.stream().map(HistoryEntry::id).toList();
  }
}
