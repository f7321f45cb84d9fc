package io.tsuzuku.retry.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.kit.outbox.MongoOutbox;
import io.tsuzuku.kit.outbox.MongoRelayMarks;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.retry.application.port.JobStore;
import io.tsuzuku.retry.application.port.JobStore.Finished;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import io.tsuzuku.testkit.MovableClock;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job store's batch claims and finishes, and the outbox it shares, on the MongoDB-wire server. */
@WithEmbeddedInfrastructure
class MongoJobStoreIT {

  private static final Instant NOW = Instant.parse("2027-02-08T01:00:00Z");
  private static final Duration LEASE = Duration.ofMinutes(1);

  private MongoClient client;
  private MongoDatabase database;
  private MongoJobStore store;

  @BeforeEach
  void open(Endpoints endpoints) {
    client = MongoClients.create(endpoints.mongoUri());
    database = client.getDatabase("jobs-" + UUID.randomUUID());
    store = new MongoJobStore(database);
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void aBatchIsClaimedByOneOwnerAndTakenOverOnlyOnceItsLeaseRanOut() {
    var jobs = IntStream.range(0, 5).mapToObj(i -> job("c-" + i, NOW.minusSeconds(60 - i))).toList();
    jobs.forEach(store::schedule);
    store.schedule(job("c-later", NOW.plusSeconds(60)));

    var a = store.claimDue(NOW, "a", NOW, NOW.plus(LEASE), 3);
    var b = store.claimDue(NOW, "b", NOW, NOW.plus(LEASE), 10);
    var withinTheLeases = NOW.plusSeconds(30);
    var afterTheLeases = NOW.plus(LEASE).plusSeconds(1);

    assertThat(a).hasSize(3);
    assertThat(b).as("the other due jobs, not a's, not the later one").hasSize(2).doesNotContainAnyElementsOf(a);
    assertThat(java.util.stream.Stream.concat(a.stream(), b.stream())).containsExactlyInAnyOrderElementsOf(jobs);
    assertThat(store.claimDue(NOW, "c", withinTheLeases, withinTheLeases.plus(LEASE), 10)).as("the leases hold").isEmpty();

    var taken = store.claimDue(NOW, "c", afterTheLeases, afterTheLeases.plus(LEASE), 10);

    assertThat(taken).as("every due job, their leases over").containsExactlyInAnyOrderElementsOf(jobs);
    assertThat(store.finish("a", a.stream().map(j -> done(j, "late")).toList())).as("no longer a's").isEmpty();
    assertThat(store.finish("c", taken.stream().map(j -> done(j, "c")).toList()))
        .containsExactlyInAnyOrderElementsOf(jobs.stream().map(RetryJob::jobId).toList());
    assertThat(store.claimDue(NOW, "d", afterTheLeases.plus(LEASE), afterTheLeases.plus(LEASE), 10)).as("all finished").isEmpty();
  }

  @Test
  void aFinishThatLostSomeOfItsJobsTellsWhichItFinished() {
    var first = scheduled("c-1");
    var second = scheduled("c-2");
    var claimed = store.claimDue(NOW, "a", NOW, NOW.plus(LEASE), 10);
    var afterTheLease = NOW.plus(LEASE).plusSeconds(1);
    store.finish("a", List.of(done(first, "a"))); // a finishes one, then stalls past its lease
    var taken = store.claimDue(NOW, "b", afterTheLease, afterTheLease.plus(LEASE), 10);

    var finished = store.finish("a", claimed.stream().map(j -> done(j, "a")).toList());

    assertThat(taken).containsExactly(second);
    assertThat(finished).as("the one a finished earlier stays a's; the other is b's").containsExactly(first.jobId());
    assertThat(store.stateOf(second.jobId())).contains(JobStore.State.CLAIMED);
  }

  @Test
  void relayedOutboxesAreClearedTogetherAndAMessageSavedMeanwhileStays() {
    var first = scheduled("c-1");
    var second = scheduled("c-2");
    store.finish("a", store.claimDue(NOW, "a", NOW, NOW.plus(LEASE), 10).stream().map(j -> done(j, "a")).toList());
    var relayStore = MongoOutbox.relayStore(10, store.outbox());
    var read = relayStore.withPendingWork();
    // a message saved into the second job's outbox after the relay read it, and marked
    appendUnmarked(second, "meanwhile");
    store.outbox().mark(List.of(second.jobId()));

    relayStore.relayed(read);

    assertThat(read).hasSize(2);
    assertThat(relayStore.withPendingWork()).singleElement().satisfies(p -> {
      assertThat(p.id()).isEqualTo(second.jobId());
      assertThat(p.messages()).extracting(OutboxMessage::id).containsExactly(second.jobId() + ":meanwhile");
    });
  }

  @Test
  void theRelayFindsAFinishedJobByItsMarkAndWhatACrashLeftUnmarkedByItsSweep() {
    var clock = new MovableClock(NOW);
    var relayStore = MongoOutbox.relayStore(10, new MongoRelayMarks(database, MongoJobStore.COLLECTION, clock));
    var first = scheduled("c-1");
    var second = scheduled("c-2");
    assertThat(relayStore.withPendingWork()).as("the first pass sweeps: nothing yet").isEmpty();

    store.finish("a", store.claimDue(NOW, "a", NOW, NOW.plus(LEASE), 10).stream()
        .filter(j -> j.jobId().equals(first.jobId())).map(j -> done(j, "a")).toList());
    var read = relayStore.withPendingWork();
    assertThat(read).extracting(MongoOutbox.Pending::id).containsExactly(first.jobId());
    relayStore.relayed(read);
    assertThat(relayStore.withPendingWork()).isEmpty();
    assertThat(database.getCollection(MongoJobStore.COLLECTION + "_to_relay").countDocuments()).isZero();

    // a process died between its write and its mark
    appendUnmarked(second, "lost");
    assertThat(relayStore.withPendingWork()).as("unmarked: found by the next sweep only").isEmpty();
    clock.advance(MongoRelayMarks.SWEEP);
    assertThat(relayStore.withPendingWork()).extracting(MongoOutbox.Pending::id).containsExactly(second.jobId());
  }

  private void appendUnmarked(RetryJob job, String by) {
    var append = new java.util.ArrayList<>(MongoOutbox.append(List.of(message(job, by))));
    append.add(com.mongodb.client.model.Updates.inc("revision", 1L));
    database.getCollection(MongoJobStore.COLLECTION).updateOne(new org.bson.Document("_id", job.jobId()),
        com.mongodb.client.model.Updates.combine(append));
  }

  private RetryJob scheduled(String contractId) {
    var job = job(contractId, NOW);
    store.schedule(job);
    return job;
  }

  private static RetryJob job(String contractId, Instant dueAt) {
    return RetryJob.of(contractId, "org-1", JobKind.AUTO_RETRY, 1, LocalDate.of(2027, 2, 1), dueAt);
  }

  private static Finished done(RetryJob job, String by) {
    return new Finished(job.jobId(), JobStore.State.DONE, List.of(message(job, by)));
  }

  private static OutboxMessage message(RetryJob job, String by) {
    return new OutboxMessage(job.jobId() + ":" + by, job.contractId(), "ChargeRequested", new byte[0]);
  }
}
