package io.tsuzuku.kit.outbox;

import io.tsuzuku.kit.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the messages that state changes left in their documents, then tells the store they
 * went out. A crash anywhere leaves them in the document: the next pass publishes them again (at
 * least once; consumers de-duplicate by event id). A broker that is down leaves them too, for the
 * next pass. Every service that changes state and publishes relays through this one class.
 *
 * <p>A pass hands up to {@link #CHUNK} messages to the publisher at once and awaits their
 * acknowledgements together, so a batch costs about one round trip to the broker, not one a
 * message; the producer keeps the order of a contract's messages on its partition.
 *
 * <p>With several instances of a service, one relays at a time (a {@link Lease}, renewed at
 * every pass), so a document's messages go out in the order they were written: an instance that
 * still works through an old batch cannot publish an older snapshot after another instance
 * published a newer one. A pass starts no chunk once its lease could run out during one (the
 * publisher's timeout and a margin before the end); the lease's time is the machine's, not a
 * business clock. A message that cannot be published by any retry (unknown type, undecodable
 * payload) is parked ({@link ParkedMessages}) and reported, and the relay goes on; one that fails
 * for a passing reason (the broker) stays for the next pass.
 *
 * @param <D> a document with messages still to publish, as the service's store reads it
 */
public final class OutboxRelay<D> {

  /** How long a pass's lease lasts. */
  public static final Duration LEASE = Duration.ofSeconds(30);

  /** The relay's view of a service's documents: those with work left, and clearing done work. */
  public interface Store<D> {

    /** Documents whose outbox still holds messages (a bounded batch). */
    List<D> withPendingWork();

    /** The messages of the document, in the order they were saved. */
    List<OutboxMessage> outboxOf(D document);

    /**
     * Every message of these documents was acknowledged: remove exactly those, keep later ones (a
     * chunk's documents at once).
     */
    void relayed(List<D> documents);
  }

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private final Store<D> store;
  private final MessagePublisher publisher;
  private final Lease lease;
  private final ParkedMessages parked;
  private final Counter publishedCount;
  private final Counter parkedCount;
  private final AtomicInteger pendingDocuments = new AtomicInteger();
  private final Clock clock;
  private final Duration stopBefore;
  private final int chunkSize;
  private final String owner = UUID.randomUUID().toString();

  /** How many messages a pass publishes together at most, their acknowledgements awaited at once. */
  public static final int CHUNK = 500;

  /**
   * @param name the relay's name in its measures ({@code tsuzuku.outbox.published},
   *     {@code tsuzuku.outbox.parked}, {@code tsuzuku.outbox.pending.documents}, tag {@code relay})
   * @param stopBefore a pass publishes no more once its lease has less than this left: more than
   *     the publisher's timeout, which bounds one chunk
   */
  public OutboxRelay(String name, Store<D> store, MessagePublisher publisher, Lease lease, ParkedMessages parked,
      Duration stopBefore, MeterRegistry meters) {
    this(name, store, publisher, lease, parked, stopBefore, Clock.systemUTC(), CHUNK, meters);
  }

  OutboxRelay(String name, Store<D> store, MessagePublisher publisher, Lease lease, ParkedMessages parked,
      Duration stopBefore, Clock clock, int chunkSize, MeterRegistry meters) {
    if (stopBefore.compareTo(LEASE) >= 0) {
      throw new IllegalArgumentException("a pass must be able to publish within its lease of " + LEASE);
    }
    this.chunkSize = chunkSize;
    this.store = store;
    this.publisher = publisher;
    this.lease = lease;
    this.parked = parked;
    this.stopBefore = stopBefore;
    this.clock = clock;
    this.publishedCount = meters.counter("tsuzuku.outbox.published", "relay", name);
    this.parkedCount = meters.counter("tsuzuku.outbox.parked", "relay", name);
    Gauge.builder("tsuzuku.outbox.pending.documents", pendingDocuments, AtomicInteger::get)
        .description("documents with messages to publish, as the last batch read found them (at most a batch)")
        .tag("relay", name).register(meters);
  }

  /**
   * The only relay of its documents (one process, as in the tests of a use case): no lease to
   * hold, and a message it cannot publish fails the pass instead of being parked.
   */
  public static <D> OutboxRelay<D> sole(Store<D> store, MessagePublisher publisher) {
    return new OutboxRelay<>("sole", store, publisher, (owner, now, until) -> true, new ParkedMessages() {
      @Override
      public void park(OutboxMessage message, String reason, Instant at) {
        throw new IllegalStateException("unpublishable outbox message " + message.id() + ": " + reason);
      }

      @Override
      public List<Parked> list(int limit) {
        return List.of();
      }
    }, Duration.ZERO, Clock.systemUTC(), CHUNK, new SimpleMeterRegistry());
  }

  /** One pass over every document with pending messages; returns how many it published. */
  public int relayPending() {
    var now = clock.instant();
    var until = now.plus(LEASE);
    if (!lease.hold(owner, now, until)) {
      return 0; // another instance relays; this one takes over once its lease runs out
    }
    try {
      return relay(until.minus(stopBefore));
    } catch (RuntimeException e) {
      // perhaps only this instance cannot reach the broker: another may relay meanwhile
      lease.release(owner);
      throw e;
    }
  }

  /** Gives up the relay (at a stop), so that another instance takes over at its next pass. */
  public void release() {
    lease.release(owner);
  }

  /** Batch after batch until none is left or the lease's margin is reached. */
  private int relay(Instant stopAt) {
    int published = 0;
    for (var batch = store.withPendingWork(); !batch.isEmpty(); batch = store.withPendingWork()) {
      pendingDocuments.set(batch.size());
      for (int from = 0; from < batch.size(); ) {
        if (!clock.instant().isBefore(stopAt)) {
          return published; // the next pass renews the lease first
        }
        var chunk = new ArrayList<D>();
        var messages = new ArrayList<OutboxMessage>();
        while (from < batch.size() && (chunk.isEmpty() || messages.size() + store.outboxOf(batch.get(from)).size() <= chunkSize)) {
          chunk.add(batch.get(from));
          messages.addAll(store.outboxOf(batch.get(from++)));
        }
        published += publish(chunk, messages); // every document of the chunk cleared, or it throws
      }
    }
    pendingDocuments.set(0);
    return published;
  }

  /**
   * Publishes a chunk's messages together, then clears the documents whose messages all went out
   * (or were parked), in order, up to the first that has one the broker did not acknowledge; that
   * failure ends the pass. The documents after it are published again (at least once): their
   * messages may have gone out, but none is cleared past a failure.
   */
  private int publish(List<D> chunk, List<OutboxMessage> messages) {
    var outcomes = publisher.publish(messages).iterator();
    var sent = messages.iterator();
    int published = 0;
    RuntimeException failure = null;
    var done = new ArrayList<D>();
    for (var document : chunk) {
      for (int i = 0; i < store.outboxOf(document).size(); i++) {
        var message = sent.next();
        var outcome = outcomes.next();
        if (outcome instanceof MessagePublisher.Outcome.Failed failed) {
          failure = failure == null ? failed.cause() : failure;
        } else if (failure != null) {
          continue; // not cleared: published again
        } else if (outcome instanceof MessagePublisher.Outcome.Unpublishable unpublishable) {
          park(message, unpublishable.reason());
        } else {
          publishedCount.increment();
          published++;
        }
      }
      if (failure == null) {
        done.add(document);
      }
    }
    if (!done.isEmpty()) {
      store.relayed(done);
    }
    if (failure != null) {
      throw failure;
    }
    return published;
  }

  /** No retry helps: kept whole for an operator, and the relay goes on. */
  private void park(OutboxMessage message, String reason) {
    parked.park(message, reason, clock.instant());
    parkedCount.increment();
    log.error("outbox message parked id='{}' contractId='{}' type='{}' reason='{}'",
        message.id(), message.contractId(), message.type(), reason);
  }
}
