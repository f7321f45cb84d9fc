package io.tsuzuku.status.application;

import io.tsuzuku.status.application.port.ContactPolicies;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The re-payment request on a contract's first failure, for the organisations whose contact policy
 * asks for it (docs/admin-api.md, "Contact budget"): a contract that went from ACTIVE to RETRYING
 * within {@link #WITHIN} and got no request since is sent one, exactly as an administrator's
 * request would be ({@link BulkOperations#repaymentRequests}: the transition table, the contact
 * budget and the link). Nothing is sent in the organisation's quiet hours: the requests wait for
 * the first look after them. A request the budget holds back is asked again at every look while
 * the failure is recent, and answered {@code HELD_BACK} each time. The request's id is made of the
 * contract and its outstanding period, so two instances, or a look repeated, send it once.
 */
public final class FirstFailureRequests {

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

  /** Sends the requests due now; returns the answer for each contract asked (sent, or held back and why). */
  public List<BulkResult.Item> sendDue() {
    var now = clock.instant();
    var answers = new ArrayList<BulkResult.Item>();
    for (var orgId : policies.requestingOnFirstFailure()) {
      if (policies.of(orgId).quietAt(now.atZone(listing.zone()).toLocalTime())) {
        continue;
      }
      String after = null;
      do {
        var page = listing.list(orgId, ContractFilter.inStatus(Status.RETRYING), PAGE, after);
        for (var contract : page.contracts()) {
          if (awaitsItsRequest(contract, now)) {
            answers.addAll(operations.repaymentRequests(orgId, new Selection.Ids(List.of(contract.contractId())), false, SENDER,
                "first-failure:" + contract.outstandingPeriod()).items());
          }
        }
        after = page.nextAfterId();
      } while (after != null);
    }
    return answers;
  }

  /**
   * A contract in RETRYING since its first failure (its status does not change with the retries
   * that follow), recent enough, and asked to re-pay by nobody since.
   */
  private boolean awaitsItsRequest(Contract contract, Instant now) {
    var failedAt = contract.statusSince();
    var failedOn = failedAt.atZone(listing.zone()).toLocalDate();
    return !failedAt.isBefore(now.minus(WITHIN))
        && (contract.lastRepaymentRequestOn() == null || contract.lastRepaymentRequestOn().isBefore(failedOn));
  }
}
