package io.tsuzuku.billing.application;

import io.tsuzuku.billing.application.port.BillingRunLog;
import io.tsuzuku.billing.application.port.LedgerStore;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.CardAttempts;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.kit.outbox.OutboxRelay;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Billing's stores in memory, with the MongoDB adapters' semantics (revision-guarded writes of the
 * whole document with its outbox, a leased run log), for tests and the benchmark. A test can make
 * the next write die before it is saved, as a crashed process would.
 */
public final class InMemoryBilling implements LedgerStore, OutboxRelay.Store<InMemoryBilling.Stored>, BillingRunLog,
    CardAttempts {

  /** A document as stored: the contract and its messages still to publish. */
  public record Stored(BilledContract contract, List<OutboxMessage> outbox) {}

  public final ConcurrentSkipListMap<String, Stored> documents = new ConcurrentSkipListMap<>();
  private final Map<LocalDate, String[]> runs = new ConcurrentHashMap<>();
  /** The places counted on each card, by organisation and card. */
  public final Map<List<String>, List<Place>> cards = new ConcurrentHashMap<>();
  /** When set, the next write throws instead of saving, as if the process died just before it. */
  public volatile boolean dieOnNextWrite;
  private int writesBeforeDeath = -1;
  /**
   * When set, runs once right after the next read of many contracts (a run's batch, a poll's
   * contracts): another writer between that read and the writes decided on it.
   */
  public volatile Runnable afterNextBatchRead;

  /** The process dies (every write throws) after {@code writes} more writes. */
  public synchronized void dieAfterWrites(int writes) {
    writesBeforeDeath = writes;
  }

  @Override
  public boolean reserve(String orgId, String card, String attemptId, Instant at) {
    var reserved = new boolean[1];
    cards.compute(List.of(orgId, card), (key, places) -> {
      var next = CardAttempts.reserved(places == null ? List.of() : places, attemptId, at);
      reserved[0] = next != null;
      return next == null ? places : List.copyOf(next);
    });
    return reserved[0];
  }

  @Override
  public void release(String orgId, String card, String attemptId) {
    cards.computeIfPresent(List.of(orgId, card),
        (key, places) -> places.stream().filter(place -> !place.attemptId().equals(attemptId)).toList());
  }

  @Override
  public Optional<BilledContract> find(String contractId) {
    return Optional.ofNullable(documents.get(contractId)).map(Stored::contract);
  }

  @Override
  public synchronized boolean save(BilledContract next, List<OutboxMessage> messages) {
    if (dieOnNextWrite || writesBeforeDeath == 0) {
      dieOnNextWrite = false;
      writesBeforeDeath = -1;
      throw new IllegalStateException("the process died before the write");
    }
    if (writesBeforeDeath > 0) {
      writesBeforeDeath--;
    }
    var current = documents.get(next.contractId());
    var revision = current == null ? 0 : current.contract().revision();
    if (revision != next.revision()) {
      return false;
    }
    var outbox = new ArrayList<>(current == null ? List.<OutboxMessage>of() : current.outbox());
    outbox.addAll(messages);
    documents.put(next.contractId(), new Stored(next.written(), List.copyOf(outbox)));
    return true;
  }

  @Override
  public Map<String, BilledContract> findAll(Collection<String> contractIds) {
    var found = new HashMap<String, BilledContract>();
    contractIds.forEach(id -> find(id).ifPresent(c -> found.put(id, c)));
    meanwhile();
    return found;
  }

  /** One save after another, as a bulk write applies them; a process that dies stops it half-way. */
  @Override
  public Set<String> saveAll(List<Saving> changes) {
    var unsaved = new HashSet<String>();
    changes.stream().filter(c -> !save(c.next(), c.messages())).forEach(c -> unsaved.add(c.next().contractId()));
    return unsaved;
  }

  @Override
  public List<BilledContract> dueOn(LocalDate day, String afterId, int limit) {
    var tail = afterId == null ? documents : documents.tailMap(afterId, false);
    var due = tail.values().stream().map(Stored::contract)
        .filter(c -> c.nextChargeOn() != null && !c.nextChargeOn().isAfter(day)).limit(limit).toList();
    meanwhile();
    return due;
  }

  private void meanwhile() {
    var meanwhile = afterNextBatchRead;
    afterNextBatchRead = null;
    if (meanwhile != null) {
      meanwhile.run();
    }
  }

  @Override
  public List<BilledContract> withAttemptInFlight() {
    return documents.values().stream().map(Stored::contract).filter(c -> c.inFlight() != null).toList();
  }

  @Override
  public List<BilledContract> withRefundsDue(String orgId, int limit) {
    return documents.values().stream().map(Stored::contract).filter(c -> c.orgId().equals(orgId) && c.hasRefundToIssue())
        .limit(limit).toList();
  }

  @Override
  public List<Stored> withPendingWork() {
    return documents.values().stream().filter(s -> !s.outbox().isEmpty()).toList();
  }

  @Override
  public List<OutboxMessage> outboxOf(Stored document) {
    return document.outbox();
  }

  @Override
  public synchronized void relayed(List<Stored> relayed) {
    // exactly what the relay read goes; what was saved since stays
    relayed.forEach(document -> documents.computeIfPresent(document.contract().contractId(), (id, s) -> new Stored(s.contract(),
        s.outbox().stream().filter(m -> !document.outbox().contains(m)).toList())));
  }

  @Override
  public synchronized Optional<Resume> claim(LocalDate day, String owner, Instant now, Duration lease) {
    var run = runs.get(day);
    if (run == null) {
      runs.put(day, new String[] {owner, now.plus(lease).toString(), null, "false"});
      return Optional.of(new Resume(null));
    }
    if (run[3].equals("true") || !(run[0].equals(owner) || Instant.parse(run[1]).isBefore(now))) {
      return Optional.empty();
    }
    run[0] = owner;
    run[1] = now.plus(lease).toString();
    return Optional.of(new Resume(run[2]));
  }

  @Override
  public synchronized boolean renew(LocalDate day, String owner, String afterId, Instant now, Duration lease) {
    var run = runs.get(day);
    if (run == null || !run[0].equals(owner) || run[3].equals("true")) {
      return false;
    }
    run[1] = now.plus(lease).toString();
    run[2] = afterId;
    return true;
  }

  @Override
  public synchronized void finish(LocalDate day, String owner) {
    var run = runs.get(day);
    if (run != null && run[0].equals(owner)) {
      run[3] = "true";
    }
  }
}
