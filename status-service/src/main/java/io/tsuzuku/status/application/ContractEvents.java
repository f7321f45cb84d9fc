package io.tsuzuku.status.application;

import io.tsuzuku.kit.BatchFailedAt;
import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.status.application.port.ContractStore;
import io.tsuzuku.status.application.port.MessageFactory;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Outcome;
import io.tsuzuku.kit.Traces;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Collection;
import java.util.Optional;

/**
 * The one way an event reaches a contract: load, decide in the domain, save state, event id,
 * messages and history in one atomic write, retrying when another writer came first. An event id
 * already applied changes nothing, so every delivery may be repeated. A batch of events (a poll's
 * records) is applied with one read and one write for all its contracts.
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

  /**
   * An event from another system, as a record brought it.
   *
   * @param traceParent the record's trace, which the messages the event causes carry on; may be null
   */
  public record Inbound(String contractId, String orgId, ContractEvent event, String traceParent) {}

  /**
   * A registration, as a record brought it.
   *
   * @param traceParent the record's trace, which the first snapshot carries on; may be null
   */
  public record Registration(Contract contract, String eventId, String traceParent) {}

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

  /**
   * Registers a contract; registering it again (same or another event) changes nothing.
   *
   * @throws ForeignOrganisationException when the contract is registered under another organisation
   */
  public Result register(Contract contract, String eventId) {
    try {
      return registerAll(List.of(new Registration(contract, eventId, null))).get(0);
    } catch (BatchFailedAt failed) {
      throw (RuntimeException) failed.getCause();
    }
  }

  /**
   * Registers contracts together: one read tells which exist already, one write stores the others.
   * A contract registered again (in this batch, earlier, or by another instance at the same
   * moment) is a duplicate and changes nothing. A contract never changes organisation: the batch
   * stops at a registration that names another one than the contract's.
   *
   * @throws BatchFailedAt naming that registration, once every one before it is stored
   */
  public List<Result> registerAll(List<Registration> registrations) {
    var existing = store.loadAll(registrations.stream().map(r -> r.contract().contractId()).distinct().toList());
    var results = new ArrayList<Result>();
    var fresh = new LinkedHashMap<String, StoredContract>();
    var positions = new HashMap<String, Integer>();
    RuntimeException failure = null;
    for (var registration : registrations) {
      var contract = registration.contract();
      var known = Optional.ofNullable(fresh.get(contract.contractId())).or(() -> Optional.ofNullable(existing.get(contract.contractId())));
      if (known.isPresent() && !known.get().contract().orgId().equals(contract.orgId())) {
        failure = new ForeignOrganisationException(contract.contractId(), known.get().contract().orgId(), contract.orgId());
        break;
      }
      if (known.isPresent()) {
        results.add(Result.DUPLICATE);
        continue;
      }
      positions.put(contract.contractId(), results.size());
      results.add(Result.APPLIED);
      fresh.put(contract.contractId(), new StoredContract(
          contract,
          List.of(registration.eventId()),
          Traces.within(registration.traceParent(), () -> messages.registered(contract, registration.eventId())),
          List.of(HistoryEntry.registered(contract, registration.eventId())),
          0));
    }
    var lost = store.saveAll(List.copyOf(fresh.values()));
    lost.forEach(id -> results.set(positions.get(id), Result.DUPLICATE)); // another instance registered it meanwhile
    if (lost.size() < fresh.size()) {
      relayNudge.run();
    }
    if (failure != null) {
      throw new BatchFailedAt(results.size(), failure);
    }
    return results;
  }

  /**
   * Applies an event from another system to a registered contract of the organisation it names.
   *
   * @throws UnknownContractException when the contract is not registered (yet): the caller retries
   * @throws ForeignOrganisationException when the contract belongs to another organisation
   */
  public Result apply(String contractId, String orgId, ContractEvent event) {
    return applyOne(new Inbound(contractId, orgId, event, null));
  }

  /**
   * Applies an event to a registered contract (the admin API has checked the organisation).
   *
   * @throws UnknownContractException when the contract is not registered (yet): the caller retries
   */
  public Result apply(String contractId, ContractEvent event) {
    return applyOne(new Inbound(contractId, null, event, null));
  }

  /**
   * Applies a batch of events in their order, as {@link #apply(String, String, ContractEvent)}
   * does one: the contracts are read together, each event decided on its contract as the events
   * before it left it, and the changed contracts written together. A contract another writer
   * changed meanwhile has its events applied again one by one. The batch stops at the first event
   * that cannot be applied (an unknown contract, another organisation's).
   *
   * @throws BatchFailedAt naming that event, once every event before it is applied
   */
  public List<Result> applyAll(List<Inbound> events) {
    var results = new ArrayList<Result>();
    var documents = store.loadAll(events.stream().map(Inbound::contractId).distinct().toList());
    var changed = new LinkedHashMap<String, StoredContract>();
    int failedAt = events.size();
    RuntimeException failure = null;
    for (var inbound : events) {
      try {
        var stored = Optional.ofNullable(documents.get(inbound.contractId()))
            .orElseThrow(() -> new UnknownContractException(inbound.contractId()));
        var next = decide(stored, inbound);
        results.add(next == null ? Result.DUPLICATE : result(next.outcome()));
        if (next != null) {
          documents.put(inbound.contractId(), next.stored());
          changed.put(inbound.contractId(), next.stored());
        }
      } catch (RuntimeException e) {
        failedAt = results.size();
        failure = e;
        break;
      }
    }
    for (var lost : store.saveAll(List.copyOf(changed.values()))) {
      for (int i = 0; i < failedAt; i++) {
        var inbound = events.get(i);
        if (!inbound.contractId().equals(lost)) {
          continue;
        }
        try {
          results.set(i, applyOne(inbound));
        } catch (RuntimeException e) {
          failedAt = Math.min(failedAt, i); // this contract's events before it are applied, the others' all were
          failure = e;
          break;
        }
      }
    }
    if (changed.values().stream().anyMatch(d -> !d.outbox().isEmpty())) {
      relayNudge.run();
    }
    if (failure != null) {
      throw new BatchFailedAt(failedAt, failure);
    }
    return results;
  }

  /**
   * Queues a message about the contract that changes none of its state (an administrator's
   * settlement of a refund) in the contract's document, once per event id, for the relay.
   *
   * @throws UnknownContractException when the contract is not registered
   */
  public Result tell(String contractId, String eventId, java.util.function.Function<Contract, OutboxMessage> message) {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      var stored = store.load(contractId).orElseThrow(() -> new UnknownContractException(contractId));
      if (stored.hasSeen(eventId)) {
        return Result.DUPLICATE;
      }
      if (store.save(stored.told(eventId, message.apply(stored.contract())))) {
        relayNudge.run();
        return Result.APPLIED;
      }
    }
    throw new IllegalStateException("contract " + contractId + " kept changing under event " + eventId);
  }

  /** The contract as stored, if registered. */
  public Optional<Contract> find(String contractId) {
    return store.load(contractId).map(StoredContract::contract);
  }

  /** The registered ones of these contracts, by id, read together. */
  public Map<String, Contract> findAll(Collection<String> contractIds) {
    var found = new java.util.HashMap<String, Contract>();
    store.loadAll(contractIds).forEach((id, stored) -> found.put(id, stored.contract()));
    return found;
  }

  /** The registered ones of these contracts as stored, with the events they applied, read together. */
  Map<String, StoredContract> storedAll(Collection<String> contractIds) {
    return store.loadAll(contractIds);
  }

  /** The inbound's organisation is checked unless null (the admin API checked it). */
  private Result applyOne(Inbound inbound) {
    var contractId = inbound.contractId();
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      var stored =
          store.load(contractId).orElseThrow(() -> new UnknownContractException(contractId));
      var next = decide(stored, inbound);
      if (next == null) {
        return Result.DUPLICATE;
      }
      if (store.save(next.stored())) {
        if (!next.stored().outbox().isEmpty()) {
          relayNudge.run();
        }
        return result(next.outcome());
      }
    }
    throw new IllegalStateException(
        "contract " + contractId + " kept changing under event " + inbound.event().eventId());
  }

  private record Decided(StoredContract stored, Outcome outcome) {}

  /**
   * The document after the event, not yet saved; null for an event it has seen.
   *
   * @throws ForeignOrganisationException when {@code inbound} names an organisation (not null) the
   *     contract does not belong to
   */
  private Decided decide(StoredContract stored, Inbound inbound) {
    var event = inbound.event();
    if (inbound.orgId() != null && !stored.contract().orgId().equals(inbound.orgId())) {
      throw new ForeignOrganisationException(inbound.contractId(), stored.contract().orgId(), inbound.orgId());
    }
    if (stored.hasSeen(event.eventId())) {
      return null;
    }
    var outcome = stored.contract().apply(event);
    var next = stored.next(
        outcome.contract(),
        event.eventId(),
        Traces.within(inbound.traceParent(), () -> messages.messagesFor(outcome)),
        HistoryEntry.of(outcome, stored.contract().status()));
    return new Decided(next, outcome);
  }

  private static Result result(Outcome outcome) {
    return switch (outcome.result()) {
      case APPLIED -> Result.APPLIED;
      case NO_EFFECT -> Result.NO_EFFECT;
      case REJECTED -> Result.REJECTED;
    };
  }
}
