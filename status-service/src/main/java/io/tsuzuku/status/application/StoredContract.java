package io.tsuzuku.status.application;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.status.domain.Contract;
import java.util.ArrayList;
import java.util.List;

/**
 * A contract as stored: its state, the ids of the last events applied to it (de-duplication) and
 * the messages and history entries not yet relayed, all in one document.
 *
 * @param revision the store's optimistic lock; 0 for a contract not stored yet
 */
public record StoredContract(
    Contract contract,
    List<String> recentEventIds,
    List<OutboxMessage> outbox,
    List<HistoryEntry> pendingHistory,
    long revision) {

  /**
   * How many event ids a contract remembers. A contract sees a few dozen events a year; a
   * redelivery comes minutes after the original, so 256 is far beyond any redelivery window.
   */
  public static final int REMEMBERED_EVENTS = 256;

  public StoredContract {
    recentEventIds = List.copyOf(recentEventIds);
    outbox = List.copyOf(outbox);
    pendingHistory = List.copyOf(pendingHistory);
  }

  /** Messages or history entries still to relay. */
  public boolean hasPendingWork() {
    return !outbox.isEmpty() || !pendingHistory.isEmpty();
  }

  public boolean hasSeen(String eventId) {
    return recentEventIds.contains(eventId);
  }

  /** This document with a message queued that changes no state; its event remembered. */
  public StoredContract told(String eventId, OutboxMessage message) {
    return next(contract, eventId, List.of(message), null);
  }

  /** The next state of this document: the event remembered, its messages and history line (if any) queued. */
  public StoredContract next(
      Contract next, String eventId, List<OutboxMessage> messages, HistoryEntry history) {
    var ids = new ArrayList<>(recentEventIds);
    ids.add(eventId);
    var kept = ids.subList(Math.max(0, ids.size() - REMEMBERED_EVENTS), ids.size());
    var queued = new ArrayList<>(outbox);
    queued.addAll(messages);
    var entries = new ArrayList<>(pendingHistory);
    if (history != null) {
      entries.add(history);
    }
    return new StoredContract(next, kept, queued, entries, revision);
  }
}
