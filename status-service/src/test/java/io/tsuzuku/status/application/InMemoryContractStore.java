package io.tsuzuku.status.application;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.status.application.port.ContractStore;
import io.tsuzuku.status.application.port.HistoryLog;
import io.tsuzuku.status.application.port.OutboxStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The stores of the application layer, in memory, with the same revision rule as MongoDB's. */
final class InMemoryContractStore implements ContractStore, OutboxStore, HistoryLog {

  final Map<String, StoredContract> documents = new LinkedHashMap<>();
  final Map<String, HistoryEntry> history = new LinkedHashMap<>();

  @Override
  public synchronized Optional<StoredContract> load(String contractId) {
    return Optional.ofNullable(documents.get(contractId));
  }

  @Override
  public synchronized boolean save(StoredContract stored) {
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
