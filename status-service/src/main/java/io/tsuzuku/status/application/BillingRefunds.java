package io.tsuzuku.status.application;

import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.status.application.port.MessageFactory;
import io.tsuzuku.status.application.port.RefundsOwed;
import java.time.Instant;
import java.util.Optional;

/**
 * The refunds billing requires, kept for the organisation's administrators (docs/ledger.md,
 * invariant 3): billing's reports, for a contract of the organisation they name only (a report
 * naming another organisation than its contract's is unprocessable and lists nothing), and the
 * administrators' settlements of refunds they gave back by hand, which billing is told of
 * ({@code RefundSettled}) before the refund is marked settled, so that it never refunds one of
 * them automatically.
 */
public final class BillingRefunds {

  private final ContractEvents contracts;
  private final RefundsOwed refunds;
  private final MessageFactory messages;

  public BillingRefunds(ContractEvents contracts, RefundsOwed refunds, MessageFactory messages) {
    this.contracts = contracts;
    this.refunds = refunds;
    this.messages = messages;
  }

  public void required(RefundOwed refund) {
    requireOrganisation(refund.contractId(), refund.orgId());
    refunds.record(refund);
  }

  public void issued(String contractId, String orgId, String attemptId, Instant at, String refundReference) {
    requireOrganisation(contractId, orgId);
    refunds.issued(attemptId, at, refundReference);
  }

  /** Billing's refund failed at the processor: the refund owed says so, for the administrators to give the money back. */
  public void failed(String contractId, String orgId, String attemptId, Instant at, String refundReference, String failure) {
    requireOrganisation(contractId, orgId);
    refunds.failed(attemptId, at, refundReference, failure);
  }

  /**
   * An administrator of {@code orgId} gave the refund of {@code attemptId} back by hand: billing is
   * told (once per refund, in the contract's document), then the refund is marked settled; settling
   * again answers the first settlement. Empty when the organisation owes no such refund.
   */
  public Optional<RefundOwed> settle(String orgId, String attemptId, Instant at, String by) {
    var owed = refunds.find(orgId, attemptId);
    owed.ifPresent(refund -> contracts.tell(refund.contractId(), "refund-settled:" + attemptId,
        contract -> messages.refundSettled(contract, refund, by, at, "refund-settled:" + attemptId)));
    return owed.isEmpty() ? owed : refunds.settle(orgId, attemptId, at, by);
  }

  private void requireOrganisation(String contractId, String orgId) {
    var contract = contracts.find(contractId).orElseThrow(() -> new UnknownContractException(contractId));
    if (!contract.orgId().equals(orgId)) {
      throw new ForeignOrganisationException(contractId, contract.orgId(), orgId);
    }
  }
}
