package io.tsuzuku.kit.outbox;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.tsuzuku.kit.MongoInserts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Binary;

/**
 * The outbox as MongoDB holds it: an array {@code outbox} of messages inside the document whose
 * change caused them, a flag {@code hasPendingWork} that the relay's sweep finds, and a mark that
 * leads the relay to the document without a search ({@link MongoRelayMarks}). Every
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
        .append("writerSchema", m.writerSchema())
        .append("traceParent", m.traceParent());
  }

  public static OutboxMessage message(Document d) {
    return new OutboxMessage(
        d.getString("id"), d.getString("contractId"), d.getString("type"), d.get("payload", Binary.class).getData(),
        d.getString("writerSchema"), d.getString("traceParent"));
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

  /**
   * Saves a document's new state and appends {@code messages} to its outbox in one write, guarded
   * by its field {@code revision}: inserted once when {@code revision} is 0, otherwise updated only
   * while the stored revision is still {@code revision}. {@code next} carries {@code revision + 1}. The
   * outbox is never overwritten, so messages saved before and not yet relayed stay. A document given
   * messages is marked for the relay after the write ({@link MongoRelayMarks}).
   *
   * @return false when another writer came first (the caller reads again and redoes its change)
   */
  public static boolean save(MongoRelayMarks outbox, Document next, long revision, List<OutboxMessage> messages) {
    var write = new Write(next, revision, messages);
    var collection = outbox.documents();
    var saved = revision == 0
        ? MongoInserts.insertOnce(collection, write.inserted())
        : collection.updateOne(write.guard(), write.update()).getMatchedCount() == 1;
    if (saved && !messages.isEmpty()) {
      outbox.mark(List.of(next.get("_id")));
    }
    return saved;
  }

  /**
   * A document's new state and the messages its change caused, for {@link #saveAll}.
   *
   * @param next the new state, carrying {@code revision + 1}
   * @param revision the revision it was decided on (0: not stored yet)
   */
  public record Write(Document next, long revision, List<OutboxMessage> messages) {

    Object id() {
      return next.get("_id");
    }

    Document inserted() {
      return new Document(next).append(FIELD, messages.stream().map(MongoOutbox::document).toList())
          .append(PENDING, !messages.isEmpty());
    }

    Bson guard() {
      return byIdAndRevision(id(), revision);
    }

    Bson update() {
      var updates = new ArrayList<Bson>();
      next.forEach((field, value) -> {
        if (!"_id".equals(field)) {
          updates.add(Updates.set(field, value));
        }
      });
      updates.addAll(append(messages));
      return Updates.combine(updates);
    }
  }

  /**
   * Saves many documents as {@link #save} saves one, in two round trips at most: the new ones in one
   * unordered bulk insert, the others in one unordered bulk write of guarded updates; then marks
   * those given messages for the relay. The bulk result counts the updates that matched, it does
   * not name them: when one did not, every update of the call is returned as not known to be saved
   * (the caller redoes them one by one on a fresh read, which finds a change already saved and
   * writes nothing); a mark on a document whose messages were not saved is harmless.
   *
   * @return the ids of the documents not known to be saved: an insert that found its id taken, or
   *     every update when one of them lost to another writer
   */
  public static Set<Object> saveAll(MongoRelayMarks outbox, List<Write> writes) {
    var collection = outbox.documents();
    var unsaved = new HashSet<Object>();
    var inserts = writes.stream().filter(w -> w.revision() == 0).toList();
    MongoInserts.insertAllOnce(collection, inserts.stream().map(Write::inserted).toList())
        .forEach(position -> unsaved.add(inserts.get(position).id()));
    var updates = writes.stream().filter(w -> w.revision() > 0).toList();
    if (!updates.isEmpty() && collection.bulkWrite(updates.stream()
        .<WriteModel<Document>>map(w -> new UpdateOneModel<>(w.guard(), w.update())).toList(),
        new BulkWriteOptions().ordered(false)).getMatchedCount() < updates.size()) {
      updates.forEach(w -> unsaved.add(w.id()));
    }
    outbox.mark(writes.stream().filter(w -> !w.messages().isEmpty() && !(w.revision() == 0 && unsaved.contains(w.id())))
        .map(Write::id).toList());
    return unsaved;
  }

  /** The relay's query: documents with messages still to publish. */
  public static Bson pending() {
    return eq(PENDING, true);
  }

  /**
   * Removes exactly the relayed messages from the document {@code id}, keeping any saved since, and
   * lowers the flag once the outbox is empty, unless the document was written meanwhile (every
   * writer that appends raises its {@code revision}). Writers that append with {@link #append}
   * never overwrite the array, so neither needs the other's revision.
   */
  public static void clear(MongoCollection<Document> collection, Object id, List<OutboxMessage> relayed) {
    var ids = relayed.stream().map(OutboxMessage::id).toList();
    var after = collection.findOneAndUpdate(new Document("_id", id),
        Updates.pullByFilter(new Document(FIELD, new Document("id", new Document("$in", ids)))),
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).projection(new Document(FIELD, 1).append("revision", 1)));
    if (after != null && after.getList(FIELD, Document.class, List.of()).isEmpty()) {
      collection.updateOne(byIdAndRevision(id, after.get("revision")), Updates.set(PENDING, false));
    }
  }

  /**
   * The indexes a collection of documents with an outbox needs: the relay's query, and the
   * revision-guarded writes' filter, whose keys are exactly this unique index's, so that a server
   * that answers only such filters from an index (the embedded MongoDB-wire server) does not scan.
   */
  public static void createIndexes(MongoCollection<Document> collection) {
    collection.createIndex(Indexes.ascending(PENDING));
    collection.createIndex(Indexes.ascending("_id", "revision"), new IndexOptions().unique(true));
  }

  /**
   * The filter of a revision-guarded write: exactly the keys {@code _id} and {@code revision}, as
   * a plain document (the driver would render {@code Filters.and} as an {@code $and}).
   */
  public static Bson byIdAndRevision(Object id, Object revision) {
    return new Document("_id", id).append("revision", revision);
  }

  /**
   * Clears the outboxes of documents whose messages were all relayed, in one bulk write for each
   * collection: a document still at the revision the relay read holds exactly those messages, so
   * its outbox is emptied whole. A document written meanwhile (a writer that appends raises its
   * revision) is cleared message by message instead ({@link #clear}), keeping what came after.
   */
  public static void clearAll(List<Pending> relayed) {
    var byCollection = new LinkedHashMap<MongoRelayMarks, List<Pending>>();
    relayed.forEach(p -> byCollection.computeIfAbsent(p.outbox(), c -> new ArrayList<>()).add(p));
    byCollection.forEach((outbox, documents) -> {
      var collection = outbox.documents();
      var emptied = collection.bulkWrite(documents.stream().<WriteModel<Document>>map(p -> new UpdateOneModel<>(
          byIdAndRevision(p.id(), p.revision()), Updates.combine(Updates.set(FIELD, List.of()), Updates.set(PENDING, false))))
          .toList(), new BulkWriteOptions().ordered(false));
      if (emptied.getMatchedCount() < documents.size()) {
        documents.forEach(p -> clear(collection, p.id(), p.messages())); // removes nothing twice
      }
      outbox.unmark(documents.stream().map(Pending::id).toList());
    });
  }

  /** A document's messages still to publish, as the relay read them, and where it lies. */
  public record Pending(MongoRelayMarks outbox, Object id, Object revision, List<OutboxMessage> messages) {}

  /**
   * The relay's store over collections whose documents hold their outbox as this class writes it
   * (a service may keep messages in more than one kind of document): the marked documents, read by
   * id, or a sweep's ({@link MongoRelayMarks}).
   *
   * @param batch how many documents one pass reads at most
   */
  public static OutboxRelay.Store<Pending> relayStore(int batch, MongoRelayMarks... outboxes) {
    var all = List.of(outboxes);
    return new OutboxRelay.Store<>() {
      @Override
      public List<Pending> withPendingWork() {
        var pending = new ArrayList<Pending>();
        for (var outbox : all) {
          pending.addAll(withPendingWork(outbox, batch - pending.size()));
          if (pending.size() >= batch) {
            break;
          }
        }
        return pending;
      }

      private List<Pending> withPendingWork(MongoRelayMarks outbox, int limit) {
        var collection = outbox.documents();
        var projection = new Document(FIELD, 1).append("revision", 1);
        if (outbox.sweeping()) {
          var swept = collection.find(pending()).limit(limit).projection(projection)
              .map(d -> new Pending(outbox, d.get("_id"), d.get("revision"), messages(d))).into(new ArrayList<>());
          if (!swept.isEmpty()) {
            return swept;
          }
          outbox.swept();
        }
        var marked = outbox.read(limit);
        if (marked.isEmpty()) {
          return List.of();
        }
        var pending = new ArrayList<Pending>();
        var done = new ArrayList<Object>();
        collection.find(Filters.in("_id", marked)).projection(projection).forEach(d -> {
          if (messages(d).isEmpty()) {
            done.add(d.get("_id")); // relayed since: by a sweep, or by the pass that read it before this mark
          } else {
            pending.add(new Pending(outbox, d.get("_id"), d.get("revision"), messages(d)));
          }
        });
        outbox.unmark(done);
        return pending;
      }

      @Override
      public List<OutboxMessage> outboxOf(Pending document) {
        return document.messages();
      }

      @Override
      public void relayed(List<Pending> documents) {
        clearAll(documents);
      }
    };
  }
}
