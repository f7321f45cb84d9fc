package io.tsuzuku.kit.outbox;

import io.tsuzuku.kit.Lease;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two instances of a service relaying the same outbox: never an older snapshot after a newer one. */
class OutboxRelayTest {

  private final Outbox outbox = new Outbox();
  private final OneHolder lease = new OneHolder();
  private final List<OutboxMessage> published = new ArrayList<>();
  private final MutableClock clock = new MutableClock();
  private final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
      new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
  private final List<String> parkedReasons = new ArrayList<>();
  private final ParkedMessages parked = new ParkedMessages() {
    @Override
    public void park(OutboxMessage message, String reason, Instant at) {
      parkedReasons.add(message.id() + ": " + reason);
    }

    @Override
    public List<Parked> list(int limit) {
      return List.of();
    }
  };

  @Test
  void anInstanceStillWorkingThroughAnOldBatchIsTheOnlyOneThatPublishes() throws Exception {
    outbox.write("c-1", "v5");
    var batchRead = new CountDownLatch(1);
    var goOn = new CountDownLatch(1);
    var slow = relay(new Paused(outbox, batchRead, goOn));
    var other = relay(outbox);

    var first = CompletableFuture.supplyAsync(slow::relayPending);
    assertThat(batchRead.await(10, TimeUnit.SECONDS)).isTrue();
    outbox.write("c-1", "v6"); // a newer snapshot while the first instance holds v5
    var byTheOther = other.relayPending();
    goOn.countDown();
    first.get(10, TimeUnit.SECONDS);
    slow.relayPending();

    assertThat(byTheOther).isZero();
    assertThat(published).extracting(OutboxMessage::id).containsExactly("v5", "v6");
  }

  @Test
  void whenTheRelayingInstanceIsGoneAnotherTakesOverOnceItsLeaseRanOut() {
    var gone = relay(outbox);
    var other = relay(outbox);
    outbox.write("c-1", "v1");
    gone.relayPending();
    outbox.write("c-1", "v2");

    assertThat(other.relayPending()).isZero();
    clock.advance(OutboxRelay.LEASE.plusSeconds(1));
    assertThat(other.relayPending()).isEqualTo(1);
    assertThat(published).extracting(OutboxMessage::id).containsExactly("v1", "v2");
  }

  @Test
  void aPassStopsBeforeItsLeaseCouldRunOutDuringAPublication() {
    var relay = new OutboxRelay<>("test", outbox, MessagePublisher.oneByOne(message -> {
      published.add(message);
      clock.advance(Duration.ofSeconds(12)); // each chunk (of one message here) takes long
    }), lease, parked, Duration.ofSeconds(10), clock, 1, meters);
    for (var id : List.of("a", "b", "c", "d")) {
      outbox.write("c-" + id, id);
    }

    assertThat(relay.relayPending()).as("published within 30 s less 10 s").isEqualTo(2);
    assertThat(relay.relayPending()).isEqualTo(2);
  }

  @Test
  void aMessageNoRetryCanPublishIsParkedWithItsReasonAndTheRelayGoesOn() {
    var relay = new OutboxRelay<>("test", outbox, MessagePublisher.oneByOne(message -> {
      if (message.id().equals("poison")) {
        throw new UnpublishableMessageException("undecodable Snapshot: EOF", null);
      }
      published.add(message);
    }), lease, parked, Duration.ofSeconds(10), clock, OutboxRelay.CHUNK, meters);
    outbox.write("c-1", "v1");
    outbox.write("c-1", "poison");
    outbox.write("c-1", "v2");
    outbox.write("c-2", "w1");

    assertThat(relay.relayPending()).isEqualTo(3);
    assertThat(relay.relayPending()).isZero();
    assertThat(published).extracting(OutboxMessage::id).containsExactly("v1", "v2", "w1");
    assertThat(parkedReasons).containsExactly("poison: undecodable Snapshot: EOF");
    assertThat(meters.counter("tsuzuku.outbox.published", "relay", "test").count()).isEqualTo(3);
    assertThat(meters.counter("tsuzuku.outbox.parked", "relay", "test").count()).isEqualTo(1);
  }

  @Test
  void anInstanceThatCannotReachTheBrokerLeavesTheMessagesAndTheRelayToAnother() {
    var cutOff = new OutboxRelay<>("test", outbox, MessagePublisher.oneByOne(message -> {
      throw new IllegalStateException("the broker did not acknowledge");
    }), lease, parked, Duration.ofSeconds(10), clock, OutboxRelay.CHUNK, meters);
    var other = relay(outbox);
    outbox.write("c-1", "v1");

    org.assertj.core.api.Assertions.assertThatThrownBy(cutOff::relayPending).hasMessageContaining("did not acknowledge");

    assertThat(other.relayPending()).as("at once, not after the lease").isEqualTo(1);
    assertThat(published).extracting(OutboxMessage::id).containsExactly("v1");
    assertThat(parkedReasons).isEmpty();
  }

  @Test
  void anInstanceThatStopsGivesUpTheRelay() {
    var stopping = relay(outbox);
    var other = relay(outbox);
    stopping.relayPending();
    outbox.write("c-1", "v1");

    stopping.release();

    assertThat(other.relayPending()).isEqualTo(1);
  }

  @Test
  void aPassReadsBatchAfterBatchUntilNoneIsLeft() {
    outbox.batch = 2; // documents a read returns at most
    for (var id : List.of("a", "b", "c", "d", "e")) {
      outbox.write("c-" + id, id);
    }

    assertThat(relay(outbox).relayPending()).as("not one batch a pass: a month-end would wait an interval a batch")
        .isEqualTo(5);
    assertThat(published).extracting(OutboxMessage::id).containsExactly("a", "b", "c", "d", "e");
  }

  @Test
  void aChunkIsHandedOverTogetherAndClearedOnlyUpToItsFirstUnacknowledgedMessage() {
    var handedOver = new ArrayList<List<String>>();
    var relay = new OutboxRelay<>("test", outbox, messages -> {
      handedOver.add(messages.stream().map(OutboxMessage::id).toList());
      return messages.stream().<MessagePublisher.Outcome>map(m -> m.id().equals("b1")
          ? new MessagePublisher.Outcome.Failed(new IllegalStateException("the broker did not acknowledge b1"))
          : MessagePublisher.Outcome.ACKNOWLEDGED).toList();
    }, lease, parked, Duration.ofSeconds(10), clock, 3, meters);
    outbox.write("c-a", "a1");
    outbox.write("c-b", "b1");
    outbox.write("c-c", "c1");
    outbox.write("c-c", "c2");
    outbox.write("c-d", "d1");

    org.assertj.core.api.Assertions.assertThatThrownBy(relay::relayPending).hasMessageContaining("b1");

    assertThat(handedOver).as("one chunk of at most 3 messages, documents whole").containsExactly(List.of("a1", "b1"));
    assertThat(outbox.withPendingWork()).extracting(Document::key).as("cleared up to the failure").containsExactly("c-b", "c-c", "c-d");
    assertThat(meters.counter("tsuzuku.outbox.published", "relay", "test").count()).isEqualTo(1);

    var healed = new OutboxRelay<>("test", outbox, MessagePublisher.oneByOne(published::add), lease, parked,
        Duration.ofSeconds(10), clock, 3, meters);
    assertThat(healed.relayPending()).isEqualTo(4);
    assertThat(published).extracting(OutboxMessage::id).containsExactly("b1", "c1", "c2", "d1");
  }

  private OutboxRelay<Document> relay(OutboxRelay.Store<Document> store) {
    return new OutboxRelay<>("test", store, MessagePublisher.oneByOne(published::add), lease, parked,
        Duration.ofSeconds(10), clock, OutboxRelay.CHUNK, meters);
  }

  /** A document of a service: its key and the messages it still has to publish. */
  record Document(String key, List<OutboxMessage> messages) {}

  /** The documents in memory; a write appends a message, as a state change does. */
  static final class Outbox implements OutboxRelay.Store<Document> {
    private final Map<String, List<OutboxMessage>> documents = new LinkedHashMap<>();
    int batch = Integer.MAX_VALUE;

    synchronized void write(String key, String id) {
      documents.computeIfAbsent(key, k -> new ArrayList<>()).add(new OutboxMessage(id, key, "Snapshot", new byte[0]));
    }

    @Override
    public synchronized List<Document> withPendingWork() {
      return documents.entrySet().stream().filter(e -> !e.getValue().isEmpty())
          .map(e -> new Document(e.getKey(), List.copyOf(e.getValue()))).limit(batch).toList();
    }

    @Override
    public List<OutboxMessage> outboxOf(Document document) {
      return document.messages();
    }

    @Override
    public synchronized void relayed(List<Document> relayed) {
      relayed.forEach(document -> documents.get(document.key()).removeAll(document.messages()));
    }
  }

  /** The same documents, read by an instance that then stops until told to go on. */
  record Paused(Outbox outbox, CountDownLatch batchRead, CountDownLatch goOn) implements OutboxRelay.Store<Document> {
    @Override
    public List<Document> withPendingWork() {
      var batch = outbox.withPendingWork();
      batchRead.countDown();
      try {
        goOn.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return batch;
    }

    @Override
    public List<OutboxMessage> outboxOf(Document document) {
      return outbox.outboxOf(document);
    }

    @Override
    public void relayed(List<Document> documents) {
      outbox.relayed(documents);
    }
  }

  /** The lease as MongoLeases keeps it: an owner and an end, taken over only once it ended or was given up. */
  static final class OneHolder implements Lease {
    private String owner;
    private Instant until = Instant.MIN;

    @Override
    public synchronized boolean hold(String candidate, Instant now, Instant end) {
      if (candidate.equals(owner) || until.isBefore(now)) {
        owner = candidate;
        until = end;
        return true;
      }
      return false;
    }

    @Override
    public synchronized void release(String holder) {
      if (holder.equals(owner)) {
        until = Instant.MIN;
      }
    }
  }

  static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2027-04-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
