package io.tsuzuku.status.application;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.status.application.port.ContractStore;
import io.tsuzuku.status.application.port.HistoryLog;
import io.tsuzuku.status.application.port.OutboxStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The stores of the application layer, in memory, with the same revision rule as MongoDB's. */
public final class InMemoryContractStore implements ContractStore, OutboxStore, HistoryLog {

  public final Map<String, StoredContract> documents = new LinkedHashMap<>();
  /** Calls that reach the store: one a read or write of one contract, one a read or write of several. */
  int roundTrips;
  /** Runs before each write, as another writer would: a test changes a document under the writer. */
  public Runnable beforeWrite = () -> {};
  final Map<String, HistoryEntry> history = new LinkedHashMap<>();

  @Override
  public synchronized Optional<StoredContract> load(String contractId) {
    roundTrips++;
    return Optional.ofNullable(documents.get(contractId));
  }

  @Override
  public synchronized Map<String, StoredContract> loadAll(Collection<String> contractIds) {
    roundTrips++;
    var found = new HashMap<String, StoredContract>();
    contractIds.stream().filter(documents::containsKey).forEach(id -> found.put(id, documents.get(id)));
    return found;
  }

  @Override
  public synchronized Set<String> saveAll(List<StoredContract> changed) {
    roundTrips++;
    beforeWrite.run();
    var lost = new HashSet<String>();
    changed.stream().filter(stored -> !write(stored)).forEach(stored -> lost.add(stored.contract().contractId()));
    return lost;
  }

  @Override
  public synchronized boolean save(StoredContract stored) {
    roundTrips++;
    beforeWrite.run();
    return write(stored);
  }

  private boolean write(StoredContract stored) {
    var id = stored.contract().contractId();
    var current = documents.get(id);
    var currentRevision = current == null ? 0 : current.revision();
    if (currentRevision != stored.revision()) {
      return false;
    }
    documents.put(id, revised(stored, stored.outbox(), stored.pendingHistory(), currentRevision + 1));
    return true;
  }

  @Override
  public synchronized List<StoredContract> withPendingWork() {
    return documents.values().stream()
        .filter(d -> !d.outbox().isEmpty() || !d.pendingHistory().isEmpty())
        .toList();
  }

  @Override
  public synchronized void clear(StoredContract relayed) {
    var id = relayed.contract().contractId();
    var current = documents.get(id);
    var outbox = new ArrayList<>(current.outbox());
    outbox.removeAll(relayed.outbox());
    var pending = new ArrayList<>(current.pendingHistory());
    pending.removeAll(relayed.pendingHistory());
    documents.put(id, revised(current, outbox, pending, current.revision() + 1));
  }

  @Override
  public synchronized void append(HistoryEntry entry) {
    history.putIfAbsent(entry.id(), entry);
  }

  private static StoredContract revised(
      StoredContract stored, List<OutboxMessage> outbox, List<HistoryEntry> pending, long revision) {
    return new StoredContract(stored.contract(), stored.recentEventIds(), outbox, pending, revision);
  }
}
