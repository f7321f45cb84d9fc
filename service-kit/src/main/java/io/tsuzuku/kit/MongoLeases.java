package io.tsuzuku.kit;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * Every lease of a service in MongoDB: one document per lease name in {@code leases} (an owner and
 * an end), taken and renewed by one atomic write each, so two instances never both hold it.
 */
public final class MongoLeases {

  private final MongoCollection<Document> leases;

  public MongoLeases(MongoDatabase database) {
    this.leases = database.getCollection("leases");
  }

  /** The lease called {@code name}: one holder at a time for each name. */
  public Lease named(String name) {
    return new Lease() {
      /** Once seen, a lease's document stays: then holding it is one write, taken or not. */
      private volatile boolean exists;

      @Override
      public boolean hold(String owner, Instant now, Instant until) {
        if (leases.updateOne(
                and(eq("_id", name), or(eq("owner", owner), lt("until", Date.from(now)))),
                Updates.combine(Updates.set("owner", owner), Updates.set("until", Date.from(until))))
            .getMatchedCount() == 1) {
          exists = true;
          return true;
        }
        if (exists) {
          return false; // another instance holds it
        }
        var created = MongoInserts.insertOnce(leases, new Document("_id", name).append("owner", owner).append("until", Date.from(until)));
        exists = true;
        return created;
      }

      @Override
      public void release(String owner) {
        leases.updateOne(and(eq("_id", name), eq("owner", owner)), Updates.set("until", new Date(0)));
      }
    };
  }
}
