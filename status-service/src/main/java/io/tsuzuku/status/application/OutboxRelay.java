package io.tsuzuku.status.application;

import io.tsuzuku.status.application.port.HistoryLog;
import io.tsuzuku.status.application.port.MessagePublisher;
import io.tsuzuku.status.application.port.OutboxStore;

/**
 * Publishes the messages that state changes left in their contract documents, appends their
 * history entries, then clears them. A crash anywhere leaves them in the document: the next pass
 * publishes them again (at least once; consumers de-duplicate by event id). A broker that is down
 * leaves them too, for the next pass.
 */
public final class OutboxRelay {

  private final OutboxStore store;
  private final MessagePublisher publisher;
  private final HistoryLog history;

  public OutboxRelay(OutboxStore store, MessagePublisher publisher, HistoryLog history) {
    this.store = store;
    this.publisher = publisher;
    this.history = history;
  }

  /** One pass over every contract with pending messages; returns how many it published. */
  public int relayPending() {
    int published = 0;
    for (var pending : store.withPendingWork()) {
      pending.pendingHistory().forEach(history::append);
      for (var message : pending.outbox()) {
        publisher.publish(message);
        published++;
      }
      store.clear(pending);
    }
    return published;
  }
}
