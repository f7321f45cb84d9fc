package io.tsuzuku.kit.outbox;

import java.util.List;

/**
 * Publishes the messages that state changes left in their documents, then tells the store they
 * went out. A crash anywhere leaves them in the document: the next pass publishes them again (at
 * least once; consumers de-duplicate by event id). A broker that is down leaves them too, for the
 * next pass. Every service that changes state and publishes relays through this one class.
 *
 * @param <D> a document with messages still to publish, as the service's store reads it
 */
public final class OutboxRelay<D> {

  /** The relay's view of a service's documents: those with work left, and clearing done work. */
  public interface Store<D> {

    /** Documents whose outbox still holds messages (a bounded batch). */
    List<D> withPendingWork();

    /** The messages of the document, in the order they were saved. */
    List<OutboxMessage> outboxOf(D document);

    /** Every message of {@code document} was acknowledged: remove exactly those, keep later ones. */
    void relayed(D document);
  }

  private final Store<D> store;
  private final MessagePublisher publisher;

  public OutboxRelay(Store<D> store, MessagePublisher publisher) {
    this.store = store;
    this.publisher = publisher;
  }

  /** One pass over every document with pending messages; returns how many it published. */
  public int relayPending() {
    int published = 0;
    for (var pending : store.withPendingWork()) {
      for (var message : store.outboxOf(pending)) {
        publisher.publish(message);
        published++;
      }
      store.relayed(pending);
    }
    return published;
  }
}
