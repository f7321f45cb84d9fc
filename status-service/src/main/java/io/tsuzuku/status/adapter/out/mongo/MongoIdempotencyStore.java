package io.tsuzuku.status.adapter.out.mongo;

import io.tsuzuku.kit.MongoInserts;
import static com.mongodb.client.model.Filters.eq;

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

  private final java.time.Duration ttl;

  /**
   * @param ttl how long a key is remembered: a TTL index removes older ones on a real MongoDB, and
   *     a key older than that is forgotten here too, on servers without TTL monitors
   */
  public MongoIdempotencyStore(MongoDatabase database, java.time.Clock clock, java.time.Duration ttl) {
    this.requests = database.getCollection("idempotent_requests");
    this.clock = clock;
    this.ttl = ttl;
    requests.createIndex(com.mongodb.client.model.Indexes.ascending("at"),
        new com.mongodb.client.model.IndexOptions().expireAfter(ttl.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
  }

  @Override
  public Optional<Remembered> find(String orgId, String key) {
    return Optional.ofNullable(requests.find(eq("_id", orgId + ":" + key)).first())
        .filter(d -> !expired(d))
        .map(d -> new Remembered(d.getString("fingerprint"), result(d.get("result", Document.class))));
  }

  private boolean expired(Document d) {
    return !d.getDate("at").toInstant().isAfter(clock.instant().minus(ttl));
  }

  @Override
  public boolean remember(String orgId, String key, String fingerprint, BulkResult result) {
    // an expired key not swept yet makes room for the new request
    requests.deleteOne(com.mongodb.client.model.Filters.and(eq("_id", orgId + ":" + key),
        com.mongodb.client.model.Filters.lte("at", Date.from(clock.instant().minus(ttl)))));
    return MongoInserts.insertOnce(requests, new Document("_id", orgId + ":" + key)
        .append("fingerprint", fingerprint)
        .append("result", document(result))
        .append("at", Date.from(clock.instant())));
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
