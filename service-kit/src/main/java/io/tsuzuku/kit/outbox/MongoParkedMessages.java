package io.tsuzuku.kit.outbox;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.tsuzuku.kit.MongoInserts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/** Parked outbox messages in MongoDB ({@code parked_messages}), whole, so they can be published by hand after a fix. */
public final class MongoParkedMessages implements ParkedMessages {

  private final MongoCollection<Document> parked;

  public MongoParkedMessages(MongoDatabase database) {
    this.parked = database.getCollection("parked_messages");
  }

  @Override
  public void park(OutboxMessage message, String reason, Instant at) {
    MongoInserts.insertOnce(parked, MongoOutbox.document(message).append("_id", message.id())
        .append("reason", reason).append("parkedAt", Date.from(at)));
  }

  @Override
  public List<Parked> list(int limit) {
    return parked.find().sort(new Document("parkedAt", 1)).limit(limit)
        .map(d -> new Parked(d.getString("_id"), d.getString("contractId"), d.getString("type"), d.getString("reason"),
            d.getDate("parkedAt").toInstant()))
        .into(new ArrayList<>());
  }
}
