package io.tsuzuku.status.application;

import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.status.application.port.ContactPolicies;
import io.tsuzuku.status.application.port.SupporterContacts;
import io.tsuzuku.status.application.port.SupporterContacts.Contact;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How often an organisation may write to one supporter (docs/admin-api.md, "Contact budget"):
 * final notices and re-payment requests together, across the supporter's contracts, at most
 * {@link Policy#maxContacts} in {@link Policy#windowDays} days, and none in the quiet hours. What
 * the budget holds back is answered per contract, never dropped in silence. The rule is {@link
 * #allows}, in one place; the store applies it atomically per supporter ({@link
 * SupporterContacts#reserve}).
 */
public final class ContactBudget {

  /**
   * An organisation's setting.
   *
   * @param quietFrom no contact from this time (Asia/Tokyo) …
   * @param quietUntil … to this one, across midnight when it is earlier; equal: no quiet hours
   * @param requestOnFirstFailure whether a contract's first failure sends the supporter a re-payment
   *     request by itself ({@link FirstFailureRequests})
   */
  public record Policy(int maxContacts, int windowDays, LocalTime quietFrom, LocalTime quietUntil, boolean requestOnFirstFailure) {

    /** Two contacts in 30 days; quiet from 21:00 to 09:00; no request on the first failure. */
    public static final Policy DEFAULT = new Policy(2, 30, LocalTime.of(21, 0), LocalTime.of(9, 0));

    /** A policy that sends nothing on the first failure. */
    public Policy(int maxContacts, int windowDays, LocalTime quietFrom, LocalTime quietUntil) {
      this(maxContacts, windowDays, quietFrom, quietUntil, false);
    }

    public Policy {
      if (maxContacts < 1 || maxContacts > 10) {
        throw RequestRefused.invalid("INVALID_CONTACT_POLICY", "maxContacts is from 1 to 10");
      }
      if (windowDays < 1 || windowDays > 365) {
        throw RequestRefused.invalid("INVALID_CONTACT_POLICY", "windowDays is from 1 to 365");
      }
      if (quietFrom == null || quietUntil == null) {
        throw RequestRefused.invalid("INVALID_CONTACT_POLICY", "quietFrom and quietUntil are required (HH:MM; equal: none)");
      }
    }

    public Duration window() {
      return Duration.ofDays(windowDays);
    }

    /** Whether {@code time} (Asia/Tokyo) is in the quiet hours. */
    public boolean quietAt(LocalTime time) {
      if (quietFrom.equals(quietUntil)) {
        return false;
      }
      return quietFrom.isBefore(quietUntil)
          ? !time.isBefore(quietFrom) && time.isBefore(quietUntil)
          : !time.isBefore(quietFrom) || time.isBefore(quietUntil);
    }
  }

  /** Why a contact is held back: a code and a sentence, as the bulk answer gives them. */
  public record HeldBack(String code, String detail) {}

  private final SupporterContacts contacts;
  private final ContactPolicies policies;
  private final Clock clock;
  private final ZoneId zone;

  public ContactBudget(SupporterContacts contacts, ContactPolicies policies, Clock clock, ZoneId zone) {
    this.contacts = contacts;
    this.policies = policies;
    this.clock = clock;
    this.zone = zone;
  }

  /**
   * Whether {@code next} may be made after the {@code made} contacts of its supporter: it was made
   * already (the same id), or fewer than the budget fall in the window before it.
   */
  public static boolean allows(List<Contact> made, Contact next, Policy policy) {
    if (made.stream().anyMatch(c -> c.id().equals(next.id()))) {
      return true;
    }
    var from = next.at().minus(policy.window());
    return made.stream().filter(c -> c.at().isAfter(from)).count() < policy.maxContacts();
  }

  /** The organisation's policy. */
  public Policy policy(String orgId) {
    return policies.of(orgId);
  }

  public void set(String orgId, Policy policy) {
    policies.set(orgId, policy);
  }

  /**
   * One bulk request's contacts, decided supporter by supporter in the order asked, over the
   * contacts these supporters were sent (read once, all those kept).
   */
  public Round round(String orgId, Collection<String> supporterIds, boolean dryRun) {
    var policy = policies.of(orgId);
    var now = clock.instant();
    return new Round(orgId, policy, now, dryRun, contacts.since(orgId, supporterIds, now.minus(SupporterContacts.KEPT)));
  }

  /**
   * The contacts of one bulk request: a dry run counts the ones it would make; a real one reserves
   * each, and gives back the place of a contact it then did not make.
   */
  public final class Round {
    private final String orgId;
    private final Policy policy;
    private final Instant now;
    private final boolean dryRun;
    private final Map<String, List<Contact>> made;

    private Round(String orgId, Policy policy, Instant now, boolean dryRun, Map<String, List<Contact>> made) {
      this.orgId = orgId;
      this.policy = policy;
      this.now = now;
      this.dryRun = dryRun;
      this.made = new HashMap<>(made);
    }

    /**
     * Takes the supporter's place for the contact {@code id}; empty when it may be made (or was made
     * already: the same request again), else why not.
     */
    public Optional<HeldBack> take(String supporterId, String id, String kind) {
      if (made.getOrDefault(supporterId, List.of()).stream().anyMatch(c -> c.id().equals(id))) {
        return Optional.empty();
      }
      if (policy.quietAt(now.atZone(zone).toLocalTime())) {
        return Optional.of(new HeldBack("QUIET_HOURS", "nobody is contacted from " + policy.quietFrom() + " to "
            + policy.quietUntil() + " (" + zone + "): ask again after " + policy.quietUntil()));
      }
      var contact = new Contact(id, now, kind);
      boolean allowed;
      if (dryRun) {
        var before = made.getOrDefault(supporterId, List.of());
        allowed = allows(before, contact, policy);
        if (allowed) {
          var with = new ArrayList<>(before);
          with.add(contact);
          made.put(supporterId, with);
        }
      } else {
        allowed = contacts.reserve(orgId, supporterId, contact, policy);
      }
      return allowed ? Optional.empty() : Optional.of(new HeldBack("CONTACT_BUDGET",
          "the supporter was contacted " + policy.maxContacts() + " times in the last " + policy.windowDays() + " days"));
    }

    /** Gives back the place {@link #take} reserved for the contact {@code id}, which was not made. */
    public void release(String supporterId, String id) {
      if (!dryRun) {
        contacts.release(orgId, supporterId, id);
      }
    }
  }
}
