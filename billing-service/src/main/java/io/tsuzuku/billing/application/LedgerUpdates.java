package io.tsuzuku.billing.application;

import io.tsuzuku.kit.BatchFailedAt;
import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.Traces;
import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.billing.application.port.LedgerStore;
import io.tsuzuku.billing.application.port.OutcomeMessages;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.Ledger;
import io.tsuzuku.kit.outbox.OutboxMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
   * its change; returns the change saved, its next state as stored (the revision of its write).
   */
  public Ledger.Change update(String contractId, Function<Optional<BilledContract>, Ledger.Change> decide) {
    return update(contractId, null, decide);
  }

  /**
   * As {@link #update(String, Function)}, deciding first on {@code known}, the document as this
   * instance last read or wrote it (null: none), so that a use case which has it does not read it
   * again. The write is guarded by the revision as always: when the store moved on, the change is
   * decided again on the document read afresh. A decision to write nothing is trusted only on a
   * fresh read.
   */
  public Ledger.Change update(String contractId, BilledContract known,
      Function<Optional<BilledContract>, Ledger.Change> decide) {
    var given = Optional.ofNullable(known);
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      var current = given.isPresent() ? given : store.find(contractId);
      var fresh = given.isEmpty();
      given = Optional.empty();
      var change = decide.apply(current);
      if (change.facts().isEmpty() && current.isPresent() && current.get().equals(change.next())) {
        if (fresh) {
          return change; // nothing to write
        }
        continue;
      }
      var outgoing = messages.messagesFor(change.facts());
      if (store.save(change.next(), outgoing)) {
        if (!outgoing.isEmpty()) {
          relayNudge.run();
        }
        return new Ledger.Change(change.next().written(), change.facts());
      }
    }
    throw new IllegalStateException("contract " + contractId + " kept changing under billing");
  }

  /**
   * One event's change of a contract, for {@link #updateAll}.
   *
   * @param traceParent the trace of the record that brought it, which the messages it causes carry
   *     on; may be null
   */
  public record Update(String contractId, String traceParent, Function<Optional<BilledContract>, Ledger.Change> decide) {}

  /**
   * Applies a batch of updates in their order, as {@link #update(String, Function)} applies one:
   * the contracts are read together, each update decided on its contract as the updates before it
   * left it, and the changed contracts written together. A contract whose write is not known to
   * be saved (another writer came first) has its updates applied again one by one on a fresh read.
   * The batch stops at the first update that cannot be decided (a contract not registered yet,
   * another organisation's).
   *
   * @throws BatchFailedAt naming that update, once every update before it is saved
   */
  public void updateAll(List<Update> updates) {
    var state = new HashMap<String, Optional<BilledContract>>();
    store.findAll(updates.stream().map(Update::contractId).distinct().toList()).forEach((id, c) -> state.put(id, Optional.of(c)));
    var changed = new LinkedHashMap<String, LedgerStore.Saving>();
    int failedAt = updates.size();
    RuntimeException failure = null;
    for (int i = 0; i < updates.size(); i++) {
      var update = updates.get(i);
      try {
        var current = state.getOrDefault(update.contractId(), Optional.empty());
        var change = update.decide().apply(current);
        if (change.facts().isEmpty() && current.isPresent() && current.get().equals(change.next())) {
          continue;
        }
        var outgoing = Traces.within(update.traceParent(), () -> messages.messagesFor(change.facts()));
        var before = changed.get(update.contractId());
        var all = new ArrayList<>(before == null ? List.<OutboxMessage>of() : before.messages());
        all.addAll(outgoing);
        changed.put(update.contractId(), new LedgerStore.Saving(change.next(), all));
        state.put(update.contractId(), Optional.of(change.next()));
      } catch (RuntimeException e) {
        failedAt = i;
        failure = e;
        break;
      }
    }
    var unsaved = store.saveAll(List.copyOf(changed.values()));
    if (changed.values().stream().anyMatch(saving -> !saving.messages().isEmpty())) {
      relayNudge.run();
    }
    BatchFailedAt.settle(updates, failedAt, failure, update -> unsaved.contains(update.contractId()),
        update -> Traces.within(update.traceParent(), () -> update(update.contractId(), update.decide())));
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
