package io.tsuzuku.status.application;

import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.status.application.port.ContractStore;
import io.tsuzuku.status.application.port.RefundsOwed;
import java.time.Instant;

/**
 * What billing reports about money that must go back, kept for the organisation's administrators,
 * for a contract of the organisation the report names only: a report naming another organisation
 * than its contract's is unprocessable and lists nothing.
 */
public final class BillingRefunds {

  private final ContractStore contracts;
  private final RefundsOwed refunds;

  public BillingRefunds(ContractStore contracts, RefundsOwed refunds) {
    this.contracts = contracts;
    this.refunds = refunds;
  }

  public void required(RefundOwed refund) {
    requireOrganisation(refund.contractId(), refund.orgId());
    refunds.record(refund);
  }

  public void issued(String contractId, String orgId, String attemptId, Instant at, String refundReference) {
    requireOrganisation(contractId, orgId);
    refunds.issued(attemptId, at, refundReference);
  }

  private void requireOrganisation(String contractId, String orgId) {
    var stored = contracts.load(contractId).orElseThrow(() -> new UnknownContractException(contractId));
    if (!stored.contract().orgId().equals(orgId)) {
      throw new ForeignOrganisationException(contractId, stored.contract().orgId(), orgId);
    }
  }
}
