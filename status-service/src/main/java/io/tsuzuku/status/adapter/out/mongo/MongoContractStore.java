package io.tsuzuku.status.adapter.out.mongo;

import io.tsuzuku.kit.outbox.MongoOutbox;
import io.tsuzuku.kit.MongoInserts;
import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
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

  private final MongoCollection<Document> contracts;
  private final MongoCollection<Document> history;

  public MongoContractStore(MongoDatabase database) {
    this.contracts = database.getCollection("contracts");
    this.history = database.getCollection("contract_history");
    history.createIndex(Indexes.ascending("contractId", "at"));
    MongoOutbox.createIndexes(contracts);
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
    if (revision == 0) {
      return MongoInserts.insertOnce(contracts, document);
    }
    var id = stored.contract().contractId();
    return contracts.replaceOne(MongoOutbox.byIdAndRevision(id, revision), document).getModifiedCount() == 1;
  }

  /**
   * New contracts in one unordered bulk insert (an id that exists already is lost); the others in
   * one bulk write of guarded replacements. When some replacement matched nothing, one read by id
   * tells which (the bulk result counts them, it does not name them): those whose document has not
   * seen the last event written with them.
   */
  @Override
  public Set<String> saveAll(List<StoredContract> changed) {
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

  @Override
  public List<StoredContract> withPendingWork() {
    return contracts.find(eq("hasPendingWork", true)).limit(RELAY_BATCH)
        .map(ContractDocuments::fromDocument)
        .into(new ArrayList<>());
  }

  /**
   * The relayed documents' history entries appended in one bulk write, then their outboxes cleared
   * in another, each guarded by the revision the relay read; those written meanwhile are cleared
   * one by one ({@link #clear}), keeping what came after.
   */
  @Override
  public void relayed(List<StoredContract> documents) {
    var entries = documents.stream().flatMap(d -> d.pendingHistory().stream())
        .<WriteModel<Document>>map(e -> new ReplaceOneModel<>(eq("_id", e.id()), ContractDocuments.history(e),
            new ReplaceOptions().upsert(true)))
        .toList();
    if (!entries.isEmpty()) {
      history.bulkWrite(entries, UNORDERED);
    }
    var cleared = contracts.bulkWrite(documents.stream().<WriteModel<Document>>map(d -> new UpdateOneModel<>(
        MongoOutbox.byIdAndRevision(d.contract().contractId(), d.revision()), CLEARED)).toList(), UNORDERED);
    if (cleared.getMatchedCount() < documents.size()) {
      documents.forEach(this::clear); // nothing is removed twice
    }
  }

  @Override
  public void clear(StoredContract relayed) {
    var id = relayed.contract().contractId();
    var cleared = contracts.updateOne(MongoOutbox.byIdAndRevision(id, relayed.revision()), CLEARED);
    if (cleared.getModifiedCount() == 1) {
      return;
    }
    // written meanwhile: remove exactly what was relayed, keep what came after
    contracts.updateOne(
        eq("_id", id),
        Updates.combine(
            Updates.pullByFilter(new Document("outbox", new Document("id", new Document("$in", ids(relayed.outbox()))))),
            Updates.inc("revision", 1L)));
    contracts.updateOne(
        eq("_id", id),
        Updates.combine(
            Updates.pullByFilter(new Document("pendingHistory", new Document("_id", new Document("$in", historyIds(relayed.pendingHistory()))))),
            Updates.inc("revision", 1L)));
    contracts.updateOne(
        and(eq("_id", id), Filters.size("outbox", 0), Filters.size("pendingHistory", 0)),
        Updates.combine(Updates.set("hasPendingWork", false), Updates.inc("revision", 1L)));
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

  private static List<String> ids(List<OutboxMessage> messages) {
    return messages.stream().map(OutboxMessage::id).toList();
  }

  private static List<String> historyIds(List<HistoryEntry> entries) {
    return entries.stream().map(HistoryEntry::id).toList();
  }
}
