package io.tsuzuku.status.application;

import io.tsuzuku.status.application.port.ContactPolicies;
import io.tsuzuku.status.application.port.SupporterContacts;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The supporters' contacts and the organisations' contact policies in memory, as {@code
 * MongoSupporterContacts} and {@code MongoContactPolicies} keep them: the budget checked and taken
 * in one step per supporter.
 */
public final class InMemorySupporterContacts implements SupporterContacts, ContactPolicies {

  private final Map<String, List<Contact>> made = new HashMap<>();
  private final Map<String, ContactBudget.Policy> policies = new HashMap<>();

  /** A budget over these contacts and policies. */
  public ContactBudget budget(Clock clock, ZoneId zone) {
    return new ContactBudget(this, this, clock, zone);
  }

  @Override
  public synchronized Map<String, List<Contact>> since(String orgId, Collection<String> supporterIds, Instant since) {
    var found = new HashMap<String, List<Contact>>();
    supporterIds.forEach(id -> {
      var contacts = made.get(orgId + "|" + id);
      if (contacts != null) {
        found.put(id, contacts.stream().filter(c -> c.at().isAfter(since)).toList());
      }
    });
    return found;
  }

  @Override
  public synchronized boolean reserve(String orgId, String supporterId, Contact contact, ContactBudget.Policy policy) {
    var contacts = made.computeIfAbsent(orgId + "|" + supporterId, k -> new ArrayList<>());
    if (contacts.stream().anyMatch(c -> c.id().equals(contact.id()))) {
      return true;
    }
    if (!ContactBudget.allows(contacts, contact, policy)) {
      return false;
    }
    contacts.add(contact);
    return true;
  }

  @Override
  public synchronized void release(String orgId, String supporterId, String contactId) {
    var contacts = made.get(orgId + "|" + supporterId);
    if (contacts != null) {
      contacts.removeIf(c -> c.id().equals(contactId));
    }
  }

  @Override
  public synchronized ContactBudget.Policy of(String orgId) {
    return policies.getOrDefault(orgId, ContactBudget.Policy.DEFAULT);
  }

  @Override
  public synchronized void set(String orgId, ContactBudget.Policy policy) {
    policies.put(orgId, policy);
  }

  @Override
  public synchronized java.util.List<String> requestingOnFirstFailure() {
    return policies.entrySet().stream().filter(e -> e.getValue().requestOnFirstFailure()).map(Map.Entry::getKey).sorted().toList();
  }
}
