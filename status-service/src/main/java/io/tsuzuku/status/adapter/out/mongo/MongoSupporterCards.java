package io.tsuzuku.status.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import io.tsuzuku.status.application.port.SupporterCards;
import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * The supporters' latest cards in MongoDB ({@code supporter_cards}), one document per organisation
 * and supporter, replaced only by a card given later. A document goes {@link #KEPT} after its card
 * was given: a registration arriving later than that is not waited for.
 */
public final class MongoSupporterCards implements SupporterCards {

  /** How long a card is kept for contracts registered after it. */
  public static final Duration KEPT = Duration.ofDays(30);

  private final MongoCollection<Document> cards;

  public MongoSupporterCards(MongoDatabase database) {
    cards = database.getCollection("supporter_cards");
    cards.createIndex(Indexes.ascending("orgId", "supporterId"));
    cards.createIndex(Indexes.ascending("expireAt"), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
  }

  @Override
  public void keep(Given given) {
    var id = given.orgId().length() + ":" + given.orgId() + "|" + given.supporterId();
    var document = new Document("_id", id).append("orgId", given.orgId()).append("supporterId", given.supporterId())
        .append("updateId", given.updateId()).append("updatedFrom", given.updatedFrom())
        .append("sealedToken", given.sealedToken()).append("at", Date.from(given.at()))
        .append("expireAt", Date.from(given.at().plus(KEPT)));
    try {
      cards.replaceOne(and(eq("_id", id), lt("at", Date.from(given.at()))), document, new ReplaceOptions().upsert(true));
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
        throw e;
      }
      // a card given at the same time or later is kept: it stays
    }
  }

  @Override
  public Map<String, Given> latest(String orgId, Collection<String> supporterIds) {
    var found = new HashMap<String, Given>();
    cards.find(and(eq("orgId", orgId), in("supporterId", supporterIds))).forEach(d -> found.put(d.getString("supporterId"),
        new Given(orgId, d.getString("supporterId"), d.getString("updateId"), d.getString("updatedFrom"),
            d.getString("sealedToken"), d.getDate("at").toInstant())));
    return found;
  }
}
