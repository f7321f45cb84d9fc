package io.tsuzuku.status.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import io.tsuzuku.kit.MongoInserts;
import io.tsuzuku.status.application.BulkResult;
import io.tsuzuku.status.application.port.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * Idempotency keys, one document each (insert-once by key): the contracts the request resolved,
 * then its answer. A document is kept for {@code keptFor} (a TTL index on {@code expireAt}
 * removes it on a real MongoDB); whether a key's answer still counts is the use case's to say.
 */
public final class MongoIdempotencyStore implements IdempotencyStore {

  private final MongoCollection<Document> requests;
  private final Clock clock;
  private final Duration keptFor;

  public MongoIdempotencyStore(MongoDatabase database, Clock clock, Duration keptFor) {
    this.requests = database.getCollection("idempotent_requests");
    this.clock = clock;
    this.keptFor = keptFor;
    requests.createIndex(Indexes.ascending("expireAt"), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
  }

  @Override
  public Optional<Remembered> find(String orgId, String key) {
    return Optional.ofNullable(requests.find(eq("_id", id(orgId, key))).first())
        .filter(d -> d.getDate("expireAt").toInstant().isAfter(clock.instant())) // a TTL monitor sweeps only now and then
        .map(d -> new Remembered(d.getString("fingerprint"), d.getList("contractIds", String.class),
            d.getDate("begunAt").toInstant(), d.get("result") == null ? null : result(d.get("result", Document.class))));
  }

  @Override
  public boolean begin(String orgId, String key, String fingerprint, List<String> contractIds) {
    var now = clock.instant();
    // a document past its time, not swept yet, makes room
    requests.deleteOne(com.mongodb.client.model.Filters.and(eq("_id", id(orgId, key)),
        com.mongodb.client.model.Filters.lte("expireAt", Date.from(now))));
    return MongoInserts.insertOnce(requests, new Document("_id", id(orgId, key))
        .append("fingerprint", fingerprint)
        .append("contractIds", contractIds)
        .append("begunAt", Date.from(now))
        .append("expireAt", Date.from(now.plus(keptFor))));
  }

  @Override
  public void complete(String orgId, String key, BulkResult result) {
    requests.updateOne(eq("_id", id(orgId, key)), Updates.set("result", document(result)));
  }

  @Override
  public void forget(String orgId, String key) {
    requests.deleteOne(eq("_id", id(orgId, key)));
  }

  private static String id(String orgId, String key) {
    return orgId + ":" + key;
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
