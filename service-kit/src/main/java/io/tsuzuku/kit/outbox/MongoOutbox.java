package io.tsuzuku.kit.outbox;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Binary;

/**
 * The outbox as MongoDB holds it: an array {@code outbox} of messages inside the document whose
 * change caused them, and a flag {@code hasPendingWork} that the relay's query finds. Every
 * service's store writes and clears its outbox through these, so the shape is the same everywhere.
 */
public final class MongoOutbox {

  public static final String FIELD = "outbox";
  public static final String PENDING = "hasPendingWork";

  private MongoOutbox() {}

  public static Document document(OutboxMessage m) {
    return new Document("id", m.id())
        .append("contractId", m.contractId())
        .append("type", m.type())
        .append("payload", new Binary(m.payload()))
        .append("writerSchema", m.writerSchema());
  }

  public static OutboxMessage message(Document d) {
    return new OutboxMessage(
        d.getString("id"), d.getString("contractId"), d.getString("type"), d.get("payload", Binary.class).getData(),
        d.getString("writerSchema"));
  }

  public static List<OutboxMessage> messages(Document holder) {
    return holder.getList(FIELD, Document.class, List.of()).stream().map(MongoOutbox::message).toList();
  }

  /** The update that appends {@code messages} to a document's outbox (none: no update). */
  public static List<Bson> append(List<OutboxMessage> messages) {
    if (messages.isEmpty()) {
      return List.of();
    }
    return List.of(
        Updates.pushEach(FIELD, messages.stream().map(MongoOutbox::document).toList()),
        Updates.set(PENDING, true));
  }

  /** The relay's query: documents with messages still to publish. */
  public static Bson pending() {
    return eq(PENDING, true);
  }

  /**
   * Removes exactly the relayed messages from the document {@code id}, keeping any saved since, and
   * lowers the flag once the outbox is empty. Writers that append with {@link #append} never
   * overwrite the array, so neither needs the other's revision.
   */
  public static void clear(MongoCollection<Document> collection, Object id, List<OutboxMessage> relayed) {
    var ids = relayed.stream().map(OutboxMessage::id).toList();
    collection.updateOne(eq("_id", id), Updates.pullByFilter(new Document(FIELD, new Document("id", new Document("$in", ids)))));
    collection.updateOne(and(eq("_id", id), Filters.size(FIELD, 0)), Updates.set(PENDING, false));
  }
}
