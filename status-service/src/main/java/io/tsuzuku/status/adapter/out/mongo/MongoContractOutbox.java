package io.tsuzuku.status.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.tsuzuku.kit.outbox.MongoOutbox;
import io.tsuzuku.kit.outbox.MongoRelayMarks;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.kit.outbox.OutboxRelay;
import io.tsuzuku.status.application.HistoryEntry;
import io.tsuzuku.status.application.StoredContract;
import io.tsuzuku.status.application.port.OutboxStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The relay's side of the contract documents: it finds the contracts with messages or history
 * entries left through their marks ({@link MongoRelayMarks}; a sweep of every contract at the first
 * pass and every {@link MongoRelayMarks#SWEEP} after), and once their messages are out appends
 * their history entries to the history ({@link MongoContractHistory}) and clears both.
 */
public final class MongoContractOutbox implements OutboxStore {

  private static final int RELAY_BATCH = 2 * OutboxRelay.CHUNK;
  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);
  /** A document whose outbox and history entries were all relayed, at the revision the relay read. */
  private static final Bson CLEARED = Updates.combine(
      Updates.set("outbox", List.of()),
      Updates.set("pendingHistory", List.of()),
      Updates.set("hasPendingWork", false),
      Updates.inc("revision", 1L));

  private final MongoRelayMarks marks;
  private final MongoCollection<Document> contracts;
  private final MongoContractHistory history;

  public MongoContractOutbox(MongoDatabase database, MongoContractHistory history) {
    this(database, history, Clock.systemUTC());
  }

  /** @param clock the machine's time, for the sweeps (not a business clock) */
  public MongoContractOutbox(MongoDatabase database, MongoContractHistory history, Clock clock) {
    this.marks = new MongoRelayMarks(database, MongoContractStore.COLLECTION, clock);
    this.contracts = marks.documents();
    this.history = history;
  }

  /**
   * The marked contracts that still have work (a batch), read by id; or, when a sweep is due,
   * every contract with work, batch after batch until none is left.
   */
  @Override
  public List<StoredContract> withPendingWork() {
    if (marks.sweeping()) {
      var found = contracts.find(MongoOutbox.pending()).limit(RELAY_BATCH).map(ContractDocuments::fromDocument)
          .into(new ArrayList<>());
      if (!found.isEmpty()) {
        return found;
      }
      marks.swept();
    }
    var pending = new ArrayList<StoredContract>();
    var done = new ArrayList<String>();
    read(marks.read(RELAY_BATCH)).values().forEach(stored -> {
      if (stored.hasPendingWork()) {
        pending.add(stored);
      } else {
        done.add(stored.contract().contractId()); // relayed since: by a sweep, or by the pass that read it before this mark
      }
    });
    marks.unmark(done);
    return pending;
  }

  /**
   * The relayed documents' history entries appended in one bulk write, then their outboxes cleared
   * in another, each guarded by the revision the relay read; those written meanwhile are cleared
   * one by one ({@link #clear}), keeping what came after.
   */
  @Override
  public void relayed(List<StoredContract> documents) {
    var entries = documents.stream().flatMap(d -> d.pendingHistory().stream()).toList();
    history.appendAll(entries);
    var cleared = contracts.bulkWrite(documents.stream().<WriteModel<Document>>map(d -> new UpdateOneModel<>(
        MongoOutbox.byIdAndRevision(d.contract().contractId(), d.revision()), CLEARED)).toList(), UNORDERED);
    if (cleared.getMatchedCount() < documents.size()) { // some were written meanwhile: those still hold what was relayed
      var now = read(documents.stream().map(d -> d.contract().contractId()).toList());
      documents.stream().filter(d -> stillHolds(now.get(d.contract().contractId()), d)).forEach(this::clear);
    }
    marks.unmark(documents.stream().map(d -> d.contract().contractId()).toList());
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
    history.append(entry);
  }

  private Map<String, StoredContract> read(Collection<?> contractIds) {
    var found = new HashMap<String, StoredContract>();
    contracts.find(Filters.in("_id", contractIds)).map(ContractDocuments::fromDocument)
        .forEach(stored -> found.put(stored.contract().contractId(), stored));
    return found;
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
