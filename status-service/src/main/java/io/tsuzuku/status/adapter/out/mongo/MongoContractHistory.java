package io.tsuzuku.status.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import io.tsuzuku.status.application.HistoryEntry;
import io.tsuzuku.status.application.port.HistoryLog;
import io.tsuzuku.status.application.port.HistoryReader;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * The history of every contract ({@code contract_history}, one document an entry, read by contract
 * in time order; lines of one instant in the order the contract took them, by its version, and
 * a refused event's line, which leaves the version as it was, after the line it shares it with by id): appended by the relay once a change's messages are out, so an entry is never
 * written for a change that was lost. Appending an entry again (same id) changes nothing.
 */
public final class MongoContractHistory implements HistoryLog, HistoryReader {

  private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

  private final MongoCollection<Document> history;

  public MongoContractHistory(MongoDatabase database) {
    this.history = database.getCollection("contract_history");
    history.createIndex(Indexes.ascending("contractId", "at"));
  }

  @Override
  public void append(HistoryEntry entry) {
    history.replaceOne(eq("_id", entry.id()), ContractDocuments.history(entry), UPSERT);
  }

  /** Appends these entries in one bulk write. */
  public void appendAll(List<HistoryEntry> entries) {
    if (!entries.isEmpty()) {
      history.bulkWrite(entries.stream().<WriteModel<Document>>map(e -> new ReplaceOneModel<>(eq("_id", e.id()),
          ContractDocuments.history(e), UPSERT)).toList(), new BulkWriteOptions().ordered(false));
    }
  }

  @Override
  public List<HistoryEntry> historyOf(String contractId) {
    return history.find(eq("contractId", contractId)).sort(new Document("at", 1).append("version", 1).append("_id", 1))
        .map(ContractDocuments::history)
        .into(new ArrayList<>());
  }
}
