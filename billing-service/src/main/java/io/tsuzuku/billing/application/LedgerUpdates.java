package io.tsuzuku.billing.application;

import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.billing.application.port.LedgerStore;
import io.tsuzuku.billing.application.port.OutcomeMessages;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.Ledger;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one way billing changes its ledger: read the contract's document, let the {@link Ledger}
 * decide, write the next state with the facts' messages in one revision-guarded write, and decide
 * again on the fresh document when another writer came first. The relay is nudged after a write
 * with messages, so they go out without waiting for its next pass.
 */
public final class LedgerUpdates {

  private static final int MAX_ATTEMPTS = 50;

  private final LedgerStore store;
  private final OutcomeMessages messages;
  private final Runnable relayNudge;

  public LedgerUpdates(LedgerStore store, OutcomeMessages messages, Runnable relayNudge) {
    this.store = store;
    this.messages = messages;
    this.relayNudge = relayNudge;
  }

  /**
   * Applies {@code decide} to the contract's document (empty when it is not stored yet) and saves
   * its change; returns the change saved.
   */
  public Ledger.Change update(String contractId, Function<Optional<BilledContract>, Ledger.Change> decide) {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      var current = store.find(contractId);
      var change = decide.apply(current);
      if (change.facts().isEmpty() && current.isPresent() && current.get().equals(change.next())) {
        return change; // nothing to write
      }
      var outgoing = messages.messagesFor(change.facts());
      if (store.save(change.next(), outgoing)) {
        if (!outgoing.isEmpty()) {
          relayNudge.run();
        }
        return change;
      }
    }
    throw new IllegalStateException("contract " + contractId + " kept changing under billing");
  }

  public Optional<BilledContract> find(String contractId) {
    return store.find(contractId);
  }

  /** The contract as registered; an event about a contract not registered yet is retried. */
  static BilledContract registered(Optional<BilledContract> contract, String contractId, String orgId) {
    var c = contract.filter(BilledContract::registered).orElseThrow(() -> new UnknownContractException(contractId));
    requireOrganisation(c, orgId);
    return c;
  }

  static void requireOrganisation(BilledContract c, String orgId) {
    if (orgId != null && !orgId.equals(c.orgId())) {
      throw new ForeignOrganisationException(c.contractId(), c.orgId(), orgId);
    }
  }
}
