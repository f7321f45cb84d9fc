package io.tsuzuku.billing.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import io.tsuzuku.billing.application.port.BillingRunLog;
import io.tsuzuku.kit.MongoInserts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;

/** The billing-run log in MongoDB ({@code billing_runs}): one document a day, with its lease and progress. */
public final class MongoBillingRuns implements BillingRunLog {

  private final MongoCollection<Document> runs;

  public MongoBillingRuns(MongoDatabase database) {
    runs = database.getCollection("billing_runs");
  }

  @Override
  public Optional<Resume> claim(LocalDate day, String owner, Instant now, Duration lease) {
    if (MongoInserts.insertOnce(runs, new Document("_id", day.toString()).append("owner", owner)
        .append("leaseUntil", Date.from(now.plus(lease))).append("afterId", null).append("done", false))) {
      return Optional.of(new Resume(null));
    }
    var taken = runs.findOneAndUpdate(
        new Document("_id", day.toString()).append("$and", java.util.List.of(
            eq("done", false), or(eq("owner", owner), lt("leaseUntil", Date.from(now))))),
        Updates.combine(Updates.set("owner", owner), Updates.set("leaseUntil", Date.from(now.plus(lease)))),
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    return Optional.ofNullable(taken).map(d -> new Resume(d.getString("afterId")));
  }

  @Override
  public boolean renew(LocalDate day, String owner, String afterId, Instant now, Duration lease) {
    return runs.updateOne(
        and(eq("_id", day.toString()), eq("owner", owner), eq("done", false)),
        Updates.combine(Updates.set("afterId", afterId), Updates.set("leaseUntil", Date.from(now.plus(lease)))))
        .getMatchedCount() == 1;
  }

  @Override
  public void finish(LocalDate day, String owner) {
    runs.updateOne(and(eq("_id", day.toString()), eq("owner", owner)), Updates.set("done", true));
  }
}
