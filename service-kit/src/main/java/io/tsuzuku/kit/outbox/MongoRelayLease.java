package io.tsuzuku.kit.outbox;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Updates;
import io.tsuzuku.kit.MongoInserts;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/** The relay's lease in MongoDB: one document per relay in {@code relay_leases}, taken and renewed atomically. */
public final class MongoRelayLease implements RelayLease {

  private final com.mongodb.client.MongoCollection<Document> leases;
  private final String relay;

  /** @param relay the relay's name, one lease per name (a service's outbox) */
  public MongoRelayLease(MongoDatabase database, String relay) {
    this.leases = database.getCollection("relay_leases");
    this.relay = relay;
  }

  @Override
  public boolean hold(String owner, Instant now, Instant until) {
    if (MongoInserts.insertOnce(leases, new Document("_id", relay).append("owner", owner).append("until", Date.from(until)))) {
      return true;
    }
    return leases.updateOne(
            and(eq("_id", relay), or(eq("owner", owner), lt("until", Date.from(now)))),
            Updates.combine(Updates.set("owner", owner), Updates.set("until", Date.from(until))))
        .getMatchedCount() == 1;
  }

  @Override
  public void release(String owner) {
    leases.updateOne(and(eq("_id", relay), eq("owner", owner)), Updates.set("until", new Date(0)));
  }
}
