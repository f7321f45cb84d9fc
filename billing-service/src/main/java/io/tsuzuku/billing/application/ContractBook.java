package io.tsuzuku.billing.application;

import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.ContractStatus;
import io.tsuzuku.billing.domain.Ledger;
import java.time.Instant;
import java.util.List;

/**
 * What the other systems tell billing about a contract: its registration, its latest status, a new
 * card. Each is one ledger update; a status that arrives before the registration is kept and wins.
 */
public final class ContractBook {

  private final LedgerUpdates ledger;

  public ContractBook(LedgerUpdates ledger) {
    this.ledger = ledger;
  }

  /** A registration; registering again changes nothing. */
  public void registered(BilledContract registration) {
    ledger.update(registration.contractId(), stored -> {
      stored.ifPresent(known -> LedgerUpdates.requireOrganisation(known, registration.orgId()));
      return new Ledger.Change(Ledger.registered(stored.orElse(null), registration), List.of());
    });
  }

  /** A status snapshot of version {@code version}. */
  public void statusChanged(String contractId, String orgId, ContractStatus status, long version, Instant statusSince) {
    ledger.update(contractId, stored -> {
      var contract = stored.orElseGet(() -> BilledContract.statusOnly(contractId, orgId));
      LedgerUpdates.requireOrganisation(contract, orgId);
      return Ledger.statusChanged(contract, status, version, statusSince);
    });
  }
}
