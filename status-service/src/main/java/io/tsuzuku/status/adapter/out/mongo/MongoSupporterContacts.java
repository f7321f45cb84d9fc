package io.tsuzuku.status.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.tsuzuku.status.application.ContactBudget;
import io.tsuzuku.status.application.port.SupporterContacts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * The supporters' recent contacts in MongoDB ({@code supporter_contacts}), one document per
 * organisation and supporter holding the contacts of the last window, written only over the
 * revision it was read at: the budget is checked and taken in one atomic write, whichever instance
 * makes it. A document goes once its last contact is older than the longest window.
 */
public final class MongoSupporterContacts implements SupporterContacts {

  /** The longest window an organisation may set: contacts older than this count for none. */
  private static final Duration LONGEST_WINDOW = Duration.ofDays(365);

  private final MongoCollection<Document> contacts;

  public MongoSupporterContacts(MongoDatabase database) {
    contacts = database.getCollection("supporter_contacts");
    contacts.createIndex(Indexes.ascending("orgId", "supporterId"));
    contacts.createIndex(Indexes.ascending("expireAt"), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
  }

  @Override
  public Map<String, List<Contact>> since(String orgId, Collection<String> supporterIds, Instant since) {
    var found = new HashMap<String, List<Contact>>();
    contacts.find(and(eq("orgId", orgId), in("supporterId", supporterIds)))
        .forEach(d -> found.put(d.getString("supporterId"), contacts(d).stream().filter(c -> c.at().isAfter(since)).toList()));
    return found;
  }

  @Override
  public boolean reserve(String orgId, String supporterId, Contact contact, ContactBudget.Policy policy) {
    var id = orgId.length() + ":" + orgId + "|" + supporterId;
    while (true) {
      var stored = contacts.find(eq("_id", id)).first();
      var made = stored == null ? List.<Contact>of() : contacts(stored);
      if (made.stream().anyMatch(c -> c.id().equals(contact.id()))) {
        return true;
      }
      if (!ContactBudget.allows(made, contact, policy)) {
        return false;
      }
      var kept = new ArrayList<>(made.stream().filter(c -> c.at().isAfter(contact.at().minus(LONGEST_WINDOW))).toList());
      kept.add(contact);
      var revision = stored == null ? 0L : stored.getLong("revision");
      var next = new Document("_id", id).append("orgId", orgId).append("supporterId", supporterId)
          .append("contacts", kept.stream().map(c -> new Document("id", c.id()).append("at", Date.from(c.at()))
              .append("kind", c.kind())).toList())
          .append("expireAt", Date.from(kept.stream().map(Contact::at).max(Instant::compareTo).orElseThrow().plus(LONGEST_WINDOW)))
          .append("revision", revision + 1);
      try {
        if (stored == null) {
          contacts.insertOne(next);
          return true;
        }
        if (contacts.replaceOne(and(eq("_id", id), eq("revision", revision)), next).getMatchedCount() == 1) {
          return true;
        }
      } catch (MongoWriteException e) {
        if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
          throw e;
        }
      }
      // another instance wrote the supporter's contacts meanwhile: read them again
    }
  }

  private static List<Contact> contacts(Document d) {
    return d.getList("contacts", Document.class, List.of()).stream()
        .map(c -> new Contact(c.getString("id"), c.getDate("at").toInstant(), c.getString("kind"))).toList();
  }
}
