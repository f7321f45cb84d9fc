package io.tsuzuku.status.application;

import io.tsuzuku.status.application.port.ContactPolicies;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The re-payment request on a contract's first failure, for the organisations whose contact policy
 * asks for it (docs/admin-api.md, "On the first failure"): a contract whose outstanding period
 * failed once, within {@link #WITHIN}, and that nobody asked to re-pay since, is sent one, exactly
 * as an administrator's request would be ({@link BulkOperations#repaymentRequests}: the transition
 * table, the contact budget and the link). It may be RETRYING, or already in ERROR when the decline
 * needs a new card (no automatic retry follows it) or the organisation has no automatic retries.
 * Nothing is sent in the organisation's quiet hours: the requests wait for the first look after
 * them. A request the budget holds back is asked again at every look while the failure is recent,
 * and answered {@code HELD_BACK} each time. Whether a contract is still due is decided on the
 * contract as the bulk reads it, so an administrator's request that came first is not followed by
 * this one; the request's id is made of the contract and its outstanding period, so a look
 * repeated sends it once.
 */
public final class FirstFailureRequests {

  private static final Logger log = LoggerFactory.getLogger(FirstFailureRequests.class);

  /** How long after the first failure its request may still go out. */
  public static final Duration WITHIN = Duration.ofDays(3);

  /** Who sends it, in the contract's history and the request's {@code requestedBy}. */
  public static final Actor SENDER = new Actor(Actor.Kind.SYSTEM, "first-failure notice");

  private static final int PAGE = 500;

  private final ContactPolicies policies;
  private final ContractListing listing;
  private final BulkOperations operations;
  private final Clock clock;

  public FirstFailureRequests(ContactPolicies policies, ContractListing listing, BulkOperations operations, Clock clock) {
    this.policies = policies;
    this.listing = listing;
    this.operations = operations;
    this.clock = clock;
  }

  /**
   * Sends the requests due now; returns the answer for each contract asked (sent, held back and
   * why, or refused when it changed meanwhile). An organisation whose look fails is logged and
   * looked at again next time; the others go on.
   */
  public List<BulkResult.Item> sendDue() {
    var now = clock.instant();
    var answers = new ArrayList<BulkResult.Item>();
    for (var orgId : policies.requestingOnFirstFailure()) {
      try {
        if (!policies.of(orgId).quietAt(now.atZone(listing.zone()).toLocalTime())) {
          sendDue(orgId, now, answers);
        }
      } catch (RuntimeException e) {
        log.warn("first-failure requests of organisation {} not sent this time: {}", orgId, e.toString());
      }
    }
    return answers;
  }

  private void sendDue(String orgId, Instant now, List<BulkResult.Item> answers) {
    var since = now.minus(WITHIN);
    for (var filter : List.of(ContractFilter.inStatus(Status.RETRYING),
        new ContractFilter(Status.ERROR, since, null, null, null, null))) {
      String after = null;
      do {
        var page = listing.list(orgId, filter, PAGE, after);
        for (var contract : page.contracts()) {
          if (due(contract, since, listing.zone())) {
            answers.addAll(operations.repaymentRequests(orgId, new Selection.Ids(List.of(contract.contractId())), false, SENDER,
                "first-failure:" + contract.outstandingPeriod(), fresh -> due(fresh, since, listing.zone())).items());
          }
        }
        after = page.nextAfterId();
      } while (after != null);
    }
  }

  /**
   * The outstanding period failed once (the charge that began the episode; no retry or re-payment
   * tried since), at {@code since} or later, and nobody asked the supporter to re-pay since.
   */
  static boolean due(Contract contract, Instant since, ZoneId zone) {
    var failure = contract.lastFailure();
    return contract.attemptsInPeriod() == 1 && failure != null && !failure.at().isBefore(since)
        && (contract.lastRepaymentRequestOn() == null || contract.lastRepaymentRequestOn().isBefore(failure.at().atZone(zone).toLocalDate()));
  }
}
