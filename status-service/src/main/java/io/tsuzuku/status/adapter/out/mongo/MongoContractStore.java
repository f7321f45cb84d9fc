package io.tsuzuku.status.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.WriteModel;
import io.tsuzuku.kit.MongoInserts;
import io.tsuzuku.kit.outbox.MongoOutbox;
import io.tsuzuku.kit.outbox.MongoRelayMarks;
import io.tsuzuku.status.application.StoredContract;
import io.tsuzuku.status.application.port.ContractStore;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;

/**
 * Contracts in MongoDB, one document each ({@code contracts}), written with single-document
 * atomicity only (no transactions: the embedded wire server has none, and none are needed). Every
 * write is guarded by the document's revision; a write that leaves messages or history entries in
 * a document marks it for the relay ({@link MongoRelayMarks}; the relay's side is {@link
 * MongoContractOutbox}).
 */
public final class MongoContractStore implements ContractStore {

  static final String COLLECTION = "contracts";
  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

  private final MongoRelayMarks marks;
  private final MongoCollection<Document> contracts;

  public MongoContractStore(MongoDatabase database) {
    this.marks = new MongoRelayMarks(database, COLLECTION);
    this.contracts = marks.documents();
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

  /** Marks the written contracts that hold work for the relay. */
  private void mark(List<StoredContract> written) {
    marks.mark(written.stream().filter(StoredContract::hasPendingWork).map(stored -> stored.contract().contractId()).toList());
  }
}
