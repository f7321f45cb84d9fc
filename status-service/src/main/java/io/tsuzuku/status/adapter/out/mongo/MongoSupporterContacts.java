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
    var id = id(orgId, supporterId);
    while (true) {
      var stored = contacts.find(eq("_id", id)).first();
      var made = stored == null ? List.<Contact>of() : contacts(stored);
      if (made.stream().anyMatch(c -> c.id().equals(contact.id()))) {
        return true;
      }
      if (!ContactBudget.allows(made, contact, policy)) {
        return false;
      }
      var kept = new ArrayList<>(made.stream().filter(c -> c.at().isAfter(contact.at().minus(KEPT))).toList());
      kept.add(contact);
      if (written(id, orgId, supporterId, stored, kept)) {
        return true;
      }
    }
  }

  @Override
  public void release(String orgId, String supporterId, String contactId) {
    var id = id(orgId, supporterId);
    while (true) {
      var stored = contacts.find(eq("_id", id)).first();
      if (stored == null || contacts(stored).stream().noneMatch(c -> c.id().equals(contactId))) {
        return;
      }
      if (written(id, orgId, supporterId, stored, contacts(stored).stream().filter(c -> !c.id().equals(contactId)).toList())) {
        return;
      }
    }
  }

  private static String id(String orgId, String supporterId) {
    return orgId.length() + ":" + orgId + "|" + supporterId;
  }

  /**
   * Writes the supporter's contacts over the document as it was read ({@code stored}; null: none
   * yet); false when another instance wrote it meanwhile, to be read again.
   */
  private boolean written(String id, String orgId, String supporterId, Document stored, List<Contact> kept) {
    var revision = stored == null ? 0L : stored.getLong("revision");
    var next = new Document("_id", id).append("orgId", orgId).append("supporterId", supporterId)
        .append("contacts", kept.stream().map(c -> new Document("id", c.id()).append("at", Date.from(c.at()))
            .append("kind", c.kind())).toList())
        .append("expireAt", Date.from(kept.stream().map(Contact::at).max(Instant::compareTo).orElse(Instant.EPOCH).plus(KEPT)))
        .append("revision", revision + 1);
    try {
      if (stored == null) {
        contacts.insertOne(next);
        return true;
      }
      return contacts.replaceOne(and(eq("_id", id), eq("revision", revision)), next).getMatchedCount() == 1;
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
        throw e;
      }
      return false;
    }
  }

  private static List<Contact> contacts(Document d) {
    return d.getList("contacts", Document.class, List.of()).stream()
        .map(c -> new Contact(c.getString("id"), c.getDate("at").toInstant(), c.getString("kind"))).toList();
  }
}
