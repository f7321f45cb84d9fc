package io.tsuzuku.status.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.kit.BatchFailedAt;
import io.tsuzuku.status.application.ContractEvents.Inbound;
import io.tsuzuku.status.application.ContractEvents.Result;
import io.tsuzuku.status.domain.Attempt;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.status.domain.Supporter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A poll's events applied together: one read and one write, the same outcome as one by one. */
class ContractEventsBatchTest {

  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final LocalDate NOVEMBER = LocalDate.of(2026, 11, 1);

  private final InMemoryContractStore store = new InMemoryContractStore();
  private final ContractEvents contracts = new ContractEvents(store, new NoMessages(), () -> {});

  @Test
  void aBatchReadsItsContractsOnceAndWritesThemOnceApplyingEachContractsEventsInOrder() {
    register(contracts, "c-1", "c-2", "c-3");
    store.roundTrips = 0;

    var results = contracts.applyAll(List.of(
        failed("c-1", "e-1"), failed("c-2", "e-2"), succeeded("c-1", "e-3"), failed("c-3", "e-4"), failed("c-1", "e-1")));

    assertThat(results).containsExactly(Result.APPLIED, Result.APPLIED, Result.APPLIED, Result.APPLIED, Result.DUPLICATE);
    assertThat(store.roundTrips).isEqualTo(2);
    assertThat(status("c-1")).isEqualTo(Status.ACTIVE);
    assertThat(status("c-2")).isEqualTo(Status.RETRYING);
    assertThat(store.documents.get("c-1").pendingHistory()).extracting(HistoryEntry::eventId)
        .containsExactly("registered-c-1", "e-1", "e-3");
  }

  @Test
  void registrationsAreReadOnceAndWrittenOnceAndARepeatedOneIsADuplicate() {
    register(contracts, "c-1");
    store.roundTrips = 0;

    var results = contracts.registerAll(List.of(registration("c-2"), registration("c-1"), registration("c-3"),
        registration("c-2")));

    assertThat(results).containsExactly(Result.APPLIED, Result.DUPLICATE, Result.APPLIED, Result.DUPLICATE);
    assertThat(store.roundTrips).isEqualTo(2);
    assertThat(store.documents).containsOnlyKeys("c-1", "c-2", "c-3");
  }

  @Test
  void aRegistrationAnotherInstanceStoredMeanwhileIsADuplicate() {
    var other = registration("c-2");
    store.beforeWrite = () -> store.documents.put("c-2", new StoredContract(other.contract(), List.of("elsewhere"), List.of(),
        List.of(), 1));

    var results = contracts.registerAll(List.of(registration("c-1"), registration("c-2")));

    assertThat(results).containsExactly(Result.APPLIED, Result.DUPLICATE);
  }

  @Test
  void aRegistrationOfAKnownContractUnderAnotherOrganisationStopsTheBatchAsUnprocessable() {
    register(contracts, "c-1");
    var elsewhere = new ContractEvents.Registration(
        Contract.register("c-1", "org-2", Cohort.CURRENT, new Supporter("s", "n", "e@example.org"), 3000, T0), "forged", null);

    var failure = catchThrowableOfType(BatchFailedAt.class, () -> contracts.registerAll(List.of(
        registration("c-2"), registration("c-1"), elsewhere, registration("c-3"))));

    assertThat(failure.index()).isEqualTo(2);
    assertThat(failure).hasCauseInstanceOf(ForeignOrganisationException.class);
    assertThat(store.documents).containsOnlyKeys("c-1", "c-2");
    assertThat(store.documents.get("c-1").contract().orgId()).isEqualTo("org-1");
    assertThat(catchThrowable(() -> contracts.register(elsewhere.contract(), "forged-again")))
        .isInstanceOf(ForeignOrganisationException.class);
  }

  @Test
  void aBatchStopsAtAnUnknownContractWithEveryEventBeforeItApplied() {
    register(contracts, "c-1", "c-2");

    var failure = catchThrowableOfType(BatchFailedAt.class,
        () -> contracts.applyAll(List.of(failed("c-1", "e-1"), failed("c-unknown", "e-2"), failed("c-2", "e-3"))));

    assertThat(failure.index()).isEqualTo(1);
    assertThat(failure).hasCauseInstanceOf(UnknownContractException.class);
    assertThat(status("c-1")).isEqualTo(Status.RETRYING);
    assertThat(status("c-2")).isEqualTo(Status.ACTIVE); // delivered again after the failed one
  }

  @Test
  void anEventNamingAnotherOrganisationStopsTheBatchAsUnprocessable() {
    register(contracts, "c-1");

    var failure = catchThrowableOfType(BatchFailedAt.class, () -> contracts.applyAll(List.of(
        failed("c-1", "e-1"), new Inbound("c-1", "org-2", failedEvent("c-1", "e-2"), null))));

    assertThat(failure.index()).isEqualTo(1);
    assertThat(failure).hasCauseInstanceOf(ForeignOrganisationException.class);
    assertThat(store.documents.get("c-1").recentEventIds()).containsExactly("registered-c-1", "e-1");
  }

  @Test
  void aContractAnotherWriterChangedMeanwhileHasItsEventsAppliedAgainOneByOne() {
    register(contracts, "c-1", "c-2");
    store.beforeWrite = () -> {
      store.beforeWrite = () -> {};
      touch(store, "c-1");
    };

    var results = contracts.applyAll(List.of(failed("c-1", "e-1"), failed("c-2", "e-2"), succeeded("c-1", "e-3")));

    assertThat(results).containsExactly(Result.APPLIED, Result.APPLIED, Result.APPLIED);
    assertThat(store.documents.get("c-1").recentEventIds()).containsExactly("registered-c-1", "e-1", "e-3");
    assertThat(status("c-1")).isEqualTo(Status.ACTIVE);
    assertThat(status("c-2")).isEqualTo(Status.RETRYING);
  }

  /**
   * Random events (repeated ones among them) over a few contracts, in random batches, with another
   * writer changing random documents under them: every contract ends as applying the same events
   * one by one leaves it. The seed of a failing run is in the message.
   */
  @Test
  void batchesEndWhereOneByOneEnds() {
    for (int run = 0; run < 200; run++) {
      long seed = new Random().nextLong();
      var random = new Random(seed);
      var ids = List.of("c-1", "c-2", "c-3", "c-4");
      var events = new ArrayList<Inbound>();
      for (int i = 0; i < 40; i++) {
        var id = ids.get(random.nextInt(ids.size()));
        var eventId = "e-" + random.nextInt(30); // some arrive twice
        var period = NOVEMBER.plusMonths(random.nextInt(3));
        events.add(random.nextBoolean() ? failed(id, eventId, period) : succeeded(id, eventId, period));
      }
      var oneByOneStore = new InMemoryContractStore();
      var oneByOne = new ContractEvents(oneByOneStore, new NoMessages(), () -> {});
      register(oneByOne, ids.toArray(String[]::new));
      events.forEach(e -> oneByOne.apply(e.contractId(), e.orgId(), e.event()));

      register(contracts, ids.toArray(String[]::new));
      store.beforeWrite = () -> {
        if (random.nextInt(3) == 0) {
          touch(store, ids.get(random.nextInt(ids.size())));
        }
      };
      for (int from = 0; from < events.size(); ) {
        int to = Math.min(events.size(), from + 1 + random.nextInt(12));
        contracts.applyAll(events.subList(from, to));
        from = to;
      }

      for (var id : ids) {
        var expected = oneByOneStore.documents.get(id);
        var actual = store.documents.get(id);
        assertThat(actual.contract()).as("seed %d, %s", seed, id).isEqualTo(expected.contract());
        assertThat(actual.recentEventIds()).as("seed %d, %s", seed, id).isEqualTo(expected.recentEventIds());
        assertThat(actual.pendingHistory()).as("seed %d, %s", seed, id).isEqualTo(expected.pendingHistory());
      }
      store.documents.clear();
      store.beforeWrite = () -> {};
    }
  }

  /** Another writer saved the document (its state as it was): its revision moved on. */
  private static void touch(InMemoryContractStore store, String contractId) {
    var current = store.documents.get(contractId);
    store.documents.put(contractId, new StoredContract(current.contract(), current.recentEventIds(), current.outbox(),
        current.pendingHistory(), current.revision() + 1));
  }

  private static void register(ContractEvents contracts, String... ids) {
    for (var id : ids) {
      contracts.register(Contract.register(id, "org-1", Cohort.CURRENT, new Supporter("s", "n", "e@example.org"), 3000, T0),
          "registered-" + id);
    }
  }

  private static ContractEvents.Registration registration(String id) {
    return new ContractEvents.Registration(
        Contract.register(id, "org-1", Cohort.CURRENT, new Supporter("s", "n", "e@example.org"), 3000, T0), "registered-" + id, null);
  }

  private Status status(String contractId) {
    return store.documents.get(contractId).contract().status();
  }

  private static Inbound failed(String contractId, String eventId) {
    return failed(contractId, eventId, NOVEMBER);
  }

  private static Inbound failed(String contractId, String eventId, LocalDate period) {
    return new Inbound(contractId, "org-1", failedEvent(contractId, eventId, period), null);
  }

  private static ContractEvent failedEvent(String contractId, String eventId) {
    return failedEvent(contractId, eventId, NOVEMBER);
  }

  private static ContractEvent failedEvent(String contractId, String eventId, LocalDate period) {
    return new ContractEvent.PaymentFailed(eventId, T0, attempt(contractId, period), 3000,
        new Failure("insufficient_funds", "SOFT_DECLINE", T0));
  }

  private static Inbound succeeded(String contractId, String eventId) {
    return succeeded(contractId, eventId, NOVEMBER);
  }

  private static Inbound succeeded(String contractId, String eventId, LocalDate period) {
    return new Inbound(contractId, "org-1",
        new ContractEvent.PaymentSucceeded(eventId, T0, attempt(contractId, period), 3000), null);
  }

  private static Attempt attempt(String contractId, LocalDate period) {
    return new Attempt(contractId + ":" + period + ":SCHEDULED:0", period, ChargeKind.SCHEDULED, 0);
  }
}
