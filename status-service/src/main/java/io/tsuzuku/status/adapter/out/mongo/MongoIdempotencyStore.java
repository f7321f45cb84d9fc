package io.tsuzuku.status.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.tsuzuku.status.application.BulkResult;
import io.tsuzuku.status.application.port.IdempotencyStore;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;

/** Idempotency keys and their first answers, one document each (insert-once by key). */
public final class MongoIdempotencyStore implements IdempotencyStore {

  private final MongoCollection<Document> requests;
  private final java.time.Clock clock;

  public MongoIdempotencyStore(MongoDatabase database, java.time.Clock clock) {
    this.requests = database.getCollection("idempotent_requests");
    this.clock = clock;
  }

  @Override
  public Optional<Remembered> find(String orgId, String key) {
    return Optional.ofNullable(requests.find(eq("_id", orgId + ":" + key)).first())
        .map(d -> new Remembered(d.getString("fingerprint"), result(d.get("result", Document.class))));
  }

  @Override
  public boolean remember(String orgId, String key, String fingerprint, BulkResult result) {
    try {
      requests.insertOne(
          new Document("_id", orgId + ":" + key)
              .append("fingerprint", fingerprint)
              .append("result", document(result))
              .append("at", Date.from(clock.instant())));
      return true;
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
        return false;
      }
      throw e;
    }
  }

  private static Document document(BulkResult result) {
    return new Document("dryRun", result.dryRun())
        .append("items", result.items().stream()
            .map(i -> new Document("contractId", i.contractId())
                .append("outcome", i.outcome().name())
                .append("reason", i.reason())
                .append("detail", i.detail()))
            .toList());
  }

  private static BulkResult result(Document d) {
    return new BulkResult(
        d.getBoolean("dryRun"),
        d.getList("items", Document.class).stream()
            .map(i -> new BulkResult.Item(
                i.getString("contractId"),
                BulkResult.Outcome.valueOf(i.getString("outcome")),
                i.getString("reason"),
                i.getString("detail")))
            .toList());
  }
}
