package io.tsuzuku.billing.application;

import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.ContractStatus;
import io.tsuzuku.billing.domain.Ledger;
import java.time.Instant;
import java.util.List;

/**
 * What the other systems tell billing about a contract: its registration, its latest status, a new
 * card. Each is one ledger update; a status that arrives before the registration is kept and wins.
 * A poll's records are applied together ({@link #applyAll}).
 */
public final class ContractBook {

  private final LedgerUpdates ledger;

  public ContractBook(LedgerUpdates ledger) {
    this.ledger = ledger;
  }

  /** A registration; registering again changes nothing. */
  public void registered(BilledContract registration) {
    apply(registration(registration, null));
  }

  /** A status snapshot of version {@code version}. */
  public void statusChanged(String contractId, String orgId, ContractStatus status, long version, Instant statusSince) {
    apply(statusChange(contractId, orgId, status, version, statusSince, null));
  }

  /**
   * Applies updates of {@link #registration} and {@link #statusChange} together, in their order.
   *
   * @throws io.tsuzuku.kit.BatchFailedAt naming the first that cannot be applied
   */
  public void applyAll(List<LedgerUpdates.Update> updates) {
    ledger.updateAll(updates);
  }

  /** A registration, as an update of the ledger; {@code traceParent} is its record's trace (may be null). */
  public static LedgerUpdates.Update registration(BilledContract registration, String traceParent) {
    return new LedgerUpdates.Update(registration.contractId(), traceParent, stored -> {
      stored.ifPresent(known -> LedgerUpdates.requireOrganisation(known, registration.orgId()));
      return new Ledger.Change(Ledger.registered(stored.orElse(null), registration), List.of());
    });
  }

  /** A status snapshot, as an update of the ledger; {@code traceParent} is its record's trace (may be null). */
  public static LedgerUpdates.Update statusChange(String contractId, String orgId, ContractStatus status, long version,
      Instant statusSince, String traceParent) {
    return new LedgerUpdates.Update(contractId, traceParent, stored -> {
      var contract = stored.orElseGet(() -> BilledContract.statusOnly(contractId, orgId));
      LedgerUpdates.requireOrganisation(contract, orgId);
      return Ledger.statusChanged(contract, status, version, statusSince);
    });
  }

  /** Applies one update of {@link #registration} or {@link #statusChange}. */
  public void apply(LedgerUpdates.Update update) {
    ledger.update(update.contractId(), update.decide());
  }
}
