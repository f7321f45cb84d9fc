package io.tsuzuku.billing.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import io.tsuzuku.billing.domain.CardAttempts;
import io.tsuzuku.kit.MongoInserts;
import io.tsuzuku.kit.outbox.MongoOutbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * The attempts counted on each card, one document per organisation and card
 * ({@code card_attempts}: its places in the window and a revision), changed with one write guarded
 * by the revision, so two instances charging two contracts of one card never both take its last place.
 * A card with no place has no document: its first place is one insert, and giving back its last
 * place deletes it.
 */
public final class MongoCardAttempts implements CardAttempts {

  private static final int TRIES = 50;

  private final MongoCollection<Document> cards;

  public MongoCardAttempts(MongoDatabase database) {
    cards = database.getCollection("card_attempts");
    // the delete of a card's last place filters on exactly these keys, so that a server that answers only such filters
    // from an index looks it up (the embedded wire server serves no compound index on a document _id)
    cards.createIndex(Indexes.ascending("key", "sole"), new IndexOptions().unique(true).sparse(true));
  }

  @Override
  public boolean reserve(String orgId, String card, String attemptId, Instant at) {
    var id = new Document("orgId", orgId).append("card", card);
    if (insertOnce(id, orgId, card, List.of(new Place(attemptId, at)))) {
      return true; // the card holds no place: the common case, one write and no read
    }
    for (int i = 0; i < TRIES; i++) {
      var stored = cards.find(eq("_id", id)).first();
      var places = stored == null ? List.<Place>of() : places(stored);
      var next = CardAttempts.reserved(places, attemptId, at);
      if (next == null) {
        return false;
      }
      if (next == places) {
        return true;
      }
      if (stored == null) {
        if (insertOnce(id, orgId, card, next)) {
          return true;
        }
        continue; // another instance counted an attempt meanwhile
      }
      var revision = stored.getLong("revision");
      var saved = cards.updateOne(MongoOutbox.byIdAndRevision(id, revision), Updates.combine(
          Updates.set("places", documents(next)), Updates.set("key", key(orgId, card)), Updates.set("sole", sole(next)),
          Updates.set("revision", revision + 1)));
      if (saved.getModifiedCount() == 1) {
        return true;
      }
    }
    throw new IllegalStateException("the attempts of a card kept changing; tried " + TRIES + " times");
  }

  /**
   * Gives the place back; a card left with no place keeps no document (its next attempt is one
   * insert): the document is deleted when the attempt's place is its only one ({@code sole}, set
   * with the places by every write that adds one, so it never names an attempt beside others), in
   * one write, and otherwise the place is taken out of it.
   */
  @Override
  public void release(String orgId, String card, String attemptId) {
    var id = new Document("orgId", orgId).append("card", card);
    if (cards.deleteOne(new Document("key", key(orgId, card)).append("sole", attemptId)).getDeletedCount() == 0) {
      cards.updateOne(eq("_id", id),
          Updates.combine(Updates.pull("places", Filters.eq("attemptId", attemptId)), Updates.inc("revision", 1L)));
    }
  }

  /** Stores the card's first places; false when the card has a document already. */
  private boolean insertOnce(Document id, String orgId, String card, List<Place> places) {
    return MongoInserts.insertOnce(cards, new Document("_id", id).append("places", documents(places))
        .append("key", key(orgId, card)).append("sole", sole(places)).append("revision", 1L));
  }

  /** The organisation and card as one string (the organisation's length first, so no two pairs share one). */
  private static String key(String orgId, String card) {
    return orgId.length() + ":" + orgId + card;
  }

  /** The attempt whose place is the card's only one; null when there are more. */
  private static String sole(List<Place> places) {
    return places.size() == 1 ? places.get(0).attemptId() : null;
  }

  private static List<Document> documents(List<Place> places) {
    return places.stream().map(p -> new Document("attemptId", p.attemptId()).append("at", Date.from(p.at()))).toList();
  }

  private static List<Place> places(Document stored) {
    var places = new ArrayList<Place>();
    for (var place : stored.getList("places", Document.class)) {
      places.add(new Place(place.getString("attemptId"), place.getDate("at").toInstant()));
    }
    return places;
  }
}
