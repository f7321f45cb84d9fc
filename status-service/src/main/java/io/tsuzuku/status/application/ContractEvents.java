package io.tsuzuku.status.application;

import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.status.application.port.ContractStore;
import io.tsuzuku.status.application.port.MessageFactory;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Outcome;
import java.util.List;
import java.util.Optional;

/**
 * The one way an event reaches a contract: load, decide in the domain, save state, event id,
 * messages and history in one atomic write, retrying when another writer came first. An event id
 * already applied changes nothing, so every delivery may be repeated.
 */
public final class ContractEvents {

  private static final int MAX_ATTEMPTS = 20;

  /** What became of an event. */
  public enum Result {
    APPLIED,
    NO_EFFECT,
    REJECTED,
    DUPLICATE
  }

  private final ContractStore store;
  private final MessageFactory messages;
  private final Runnable relayNudge;

  /**
   * @param relayNudge called after a save with messages, so the relay publishes without waiting
   *     for its next poll
   */
  public ContractEvents(ContractStore store, MessageFactory messages, Runnable relayNudge) {
    this.store = store;
    this.messages = messages;
    this.relayNudge = relayNudge;
  }

  /** Registers a contract; registering it again (same or another event) changes nothing. */
  public Result register(Contract contract, String eventId) {
    if (store.load(contract.contractId()).isPresent()) {
      return Result.DUPLICATE;
    }
    var stored =
        new StoredContract(
            contract,
            List.of(eventId),
            messages.registered(contract, eventId),
            List.of(HistoryEntry.registered(contract, eventId)),
            0);
    if (!store.save(stored)) {
      return Result.DUPLICATE; // another instance registered it at the same moment
    }
    relayNudge.run();
    return Result.APPLIED;
  }

  /**
   * Applies an event from another system to a registered contract of the organisation it names.
   *
   * @throws UnknownContractException when the contract is not registered (yet): the caller retries
   * @throws ForeignOrganisationException when the contract belongs to another organisation
   */
  public Result apply(String contractId, String orgId, ContractEvent event) {
    return apply(contractId, orgId, event, true);
  }

  /**
   * Applies an event to a registered contract (the admin API has checked the organisation).
   *
   * @throws UnknownContractException when the contract is not registered (yet): the caller retries
   */
  public Result apply(String contractId, ContractEvent event) {
    return apply(contractId, null, event, false);
  }

  private Result apply(String contractId, String orgId, ContractEvent event, boolean checkOrganisation) {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      var stored =
          store.load(contractId).orElseThrow(() -> new UnknownContractException(contractId));
      if (checkOrganisation && !stored.contract().orgId().equals(orgId)) {
        throw new ForeignOrganisationException(contractId, stored.contract().orgId(), orgId);
      }
      if (stored.hasSeen(event.eventId())) {
        return Result.DUPLICATE;
      }
      var outcome = stored.contract().apply(event);
      var next =
          stored.next(
              outcome.contract(),
              event.eventId(),
              messages.messagesFor(outcome),
              HistoryEntry.of(outcome, stored.contract().status()));
      if (store.save(next)) {
        if (!next.outbox().isEmpty()) {
          relayNudge.run();
        }
        return result(outcome);
      }
    }
    throw new IllegalStateException(
        "contract " + contractId + " kept changing under event " + event.eventId());
  }

  /** The contract as stored, if registered. */
  public Optional<Contract> find(String contractId) {
    return store.load(contractId).map(StoredContract::contract);
  }

  private static Result result(Outcome outcome) {
    return switch (outcome.result()) {
      case APPLIED -> Result.APPLIED;
      case NO_EFFECT -> Result.NO_EFFECT;
      case REJECTED -> Result.REJECTED;
    };
  }
}
