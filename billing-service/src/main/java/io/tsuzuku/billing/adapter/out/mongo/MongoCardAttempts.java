package io.tsuzuku.billing.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.tsuzuku.billing.domain.CardAttempts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * The attempts counted on each card, one document per organisation and card
 * ({@code card_attempts}: its places in the window and a revision), changed with one write guarded
 * by the revision, so two instances charging two contracts of one card never both take its last place.
 */
public final class MongoCardAttempts implements CardAttempts {

  private static final int TRIES = 50;

  private final MongoCollection<Document> cards;

  public MongoCardAttempts(MongoDatabase database) {
    cards = database.getCollection("card_attempts");
  }

  @Override
  public boolean reserve(String orgId, String card, String attemptId, Instant at) {
    var id = new Document("orgId", orgId).append("card", card);
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
      var list = next.stream().map(p -> new Document("attemptId", p.attemptId()).append("at", Date.from(p.at()))).toList();
      if (stored == null) {
        try {
          cards.insertOne(new Document("_id", id).append("places", list).append("revision", 1L));
          return true;
        } catch (MongoWriteException e) {
          if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
            throw e;
          }
          continue; // another instance counted the card's first attempt meanwhile
        }
      }
      var revision = stored.getLong("revision");
      var saved = cards.updateOne(and(eq("_id", id), eq("revision", revision)),
          Updates.combine(Updates.set("places", list), Updates.set("revision", revision + 1)));
      if (saved.getModifiedCount() == 1) {
        return true;
      }
    }
    throw new IllegalStateException("the attempts of a card kept changing; tried " + TRIES + " times");
  }

  @Override
  public void release(String orgId, String card, String attemptId) {
    cards.updateOne(eq("_id", new Document("orgId", orgId).append("card", card)),
        Updates.combine(Updates.pull("places", Filters.eq("attemptId", attemptId)), Updates.inc("revision", 1L)));
  }

  private static List<Place> places(Document stored) {
    var places = new ArrayList<Place>();
    for (var place : stored.getList("places", Document.class)) {
      places.add(new Place(place.getString("attemptId"), place.getDate("at").toInstant()));
    }
    return places;
  }
}
