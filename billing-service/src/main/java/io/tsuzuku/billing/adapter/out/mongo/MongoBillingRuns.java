package io.tsuzuku.billing.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import io.tsuzuku.billing.application.port.BillingRunLog;
import io.tsuzuku.kit.Lease;
import io.tsuzuku.kit.MongoInserts;
import io.tsuzuku.kit.MongoLeases;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;

/**
 * The billing-run log in MongoDB: one document a day in {@code billing_runs} with its progress and
 * whether it is done, written only by the instance that holds the day's lease (the service kit's
 * {@link MongoLeases}, {@code billing-run:<day>}).
 */
public final class MongoBillingRuns implements BillingRunLog {

  private final MongoCollection<Document> runs;
  private final MongoLeases leases;

  public MongoBillingRuns(MongoDatabase database) {
    this.runs = database.getCollection("billing_runs");
    this.leases = new MongoLeases(database);
  }

  @Override
  public Optional<Resume> claim(LocalDate day, String owner, Instant now, Duration lease) {
    var run = runs.find(eq("_id", day.toString())).first();
    var until = now.plus(lease);
    if (run != null && run.getBoolean("done", false) || !lease(day).hold(owner, now, until)) {
      return Optional.empty();
    }
    MongoInserts.insertOnce(runs, new Document("_id", day.toString()).append("owner", null).append("heldUntil", new Date(0))
        .append("afterId", null).append("done", false));
    // the progress is the holder's from now on, fenced by the lease's end: an instance that took the
    // lease earlier and paused past its end cannot take the run back, nor write its progress
    var taken = runs.findOneAndUpdate(
        and(eq("_id", day.toString()), eq("done", false), lte("heldUntil", Date.from(until))),
        Updates.combine(Updates.set("owner", owner), Updates.set("heldUntil", Date.from(until))),
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    if (taken == null) {
      lease(day).release(owner);
      return Optional.empty();
    }
    return Optional.of(new Resume(taken.getString("afterId")));
  }

  @Override
  public boolean renew(LocalDate day, String owner, String afterId, Instant now, Duration lease) {
    var until = now.plus(lease);
    return lease(day).hold(owner, now, until)
        && runs.updateOne(and(eq("_id", day.toString()), eq("owner", owner), eq("done", false)),
                Updates.combine(Updates.set("afterId", afterId), Updates.max("heldUntil", Date.from(until))))
            .getMatchedCount() == 1;
  }

  @Override
  public void finish(LocalDate day, String owner) {
    runs.updateOne(and(eq("_id", day.toString()), eq("owner", owner)), Updates.set("done", true));
    lease(day).release(owner);
  }

  private Lease lease(LocalDate day) {
    return leases.named("billing-run:" + day);
  }
}
