package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.ContactBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Each supporter's recent contacts by the organisation (final notices, re-payment requests), across
 * their contracts: what the contact budget counts ({@link ContactBudget}).
 */
public interface SupporterContacts {

  /** How long a contact is kept: longer than any window an organisation may set. */
  Duration KEPT = Duration.ofDays(365);

  /** A contact: its id (the request's event id for the contract), when, and what it was. */
  record Contact(String id, Instant at, String kind) {}

  /** The contacts of each of these supporters of the organisation made after {@code since}, by supporter id. */
  Map<String, List<Contact>> since(String orgId, Collection<String> supporterIds, Instant since);

  /**
   * Records {@code contact} for the supporter if the budget allows it ({@link ContactBudget#allows}),
   * in one atomic step per supporter, so two requests at once never both take the last place.
   *
   * @return whether it is recorded, now or before (the same contact again is no new one)
   */
  boolean reserve(String orgId, String supporterId, Contact contact, ContactBudget.Policy policy);

  /** Forgets the contact {@code contactId} of the supporter, reserved but not made; nothing if it is not kept. */
  void release(String orgId, String supporterId, String contactId);
}
