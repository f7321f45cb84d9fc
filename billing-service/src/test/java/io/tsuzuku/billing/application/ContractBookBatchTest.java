package io.tsuzuku.billing.application;

import static io.tsuzuku.billing.application.BillingFixture.MONTHLY_1ST;
import static io.tsuzuku.billing.application.BillingFixture.PERIOD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tsuzuku.billing.adapter.out.kafka.AvroOutcomeMessages;
import io.tsuzuku.billing.application.port.LedgerStore;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.Cohort;
import io.tsuzuku.billing.domain.ContractStatus;
import io.tsuzuku.kit.BatchFailedAt;
import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.outbox.OutboxMessage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A poll's registrations and status snapshots applied together: one read, one write, the same ledger as one by one. */
class ContractBookBatchTest {

  private static final Instant SINCE = Instant.parse("2027-02-20T00:00:00Z");

  private final InMemoryBilling stored = new InMemoryBilling();
  private final CountingStore store = new CountingStore(stored);
  private final ContractBook book = new ContractBook(new LedgerUpdates(store, new AvroOutcomeMessages(), () -> {}));

  @Test
  void aPollOfRegistrationsAndSnapshotsIsReadOnceAndWrittenOnceAndLeavesWhatOneByOneWould() {
    var poll = List.of(
        ContractBook.registration(registration("c-1", "org-1"), null),
        ContractBook.statusChange("c-2", "org-1", ContractStatus.CANCELLED, 3, SINCE, null), // before its registration
        ContractBook.registration(registration("c-2", "org-1"), null),
        ContractBook.statusChange("c-1", "org-1", ContractStatus.RETRYING, 2, SINCE, null),
        ContractBook.statusChange("c-1", "org-1", ContractStatus.ACTIVE, 1, SINCE, null), // older, late
        ContractBook.registration(registration("c-1", "org-1"), null)); // again

    book.applyAll(poll);

    assertThat(store.reads).isEqualTo(1);
    assertThat(store.writes).isEqualTo(1);
    var oneByOne = new InMemoryBilling();
    var single = new ContractBook(new LedgerUpdates(oneByOne, new AvroOutcomeMessages(), () -> {}));
    poll.forEach(single::apply);
    for (var id : List.of("c-1", "c-2")) {
      assertThat(stored.find(id)).get().usingRecursiveComparison().ignoringFields("revision").isEqualTo(oneByOne.find(id).orElseThrow());
    }
    assertThat(stored.find("c-2").orElseThrow().status()).isEqualTo(ContractStatus.CANCELLED);
    assertThat(stored.find("c-1").orElseThrow().statusVersion()).isEqualTo(2);
  }

  @Test
  void aRegistrationUnderAnotherOrganisationStopsThePollOnceTheOnesBeforeItAreSaved() {
    book.registered(registration("c-1", "org-1"));

    var failure = catchThrowableOfType(BatchFailedAt.class, () -> book.applyAll(List.of(
        ContractBook.registration(registration("c-2", "org-1"), null),
        ContractBook.registration(registration("c-1", "org-forged"), null),
        ContractBook.registration(registration("c-3", "org-1"), null))));

    assertThat(failure.index()).isEqualTo(1);
    assertThat(failure.getCause()).isInstanceOf(ForeignOrganisationException.class);
    assertThat(stored.find("c-2")).isPresent();
    assertThat(stored.find("c-1").orElseThrow().orgId()).isEqualTo("org-1");
    assertThat(stored.find("c-3")).as("after the record that failed: it comes again").isEmpty();
  }

  @Test
  void aContractAnotherWriterChangedBetweenTheReadAndTheWriteHasItsUpdatesDecidedAgainOnIt() {
    book.registered(registration("c-1", "org-1"));
    book.registered(registration("c-2", "org-1"));
    // an older snapshot, delivered late to another instance, is written between the poll's read and its write
    stored.afterNextBatchRead = () -> book.statusChanged("c-1", "org-1", ContractStatus.RETRYING, 3, SINCE);

    book.applyAll(List.of(
        ContractBook.statusChange("c-1", "org-1", ContractStatus.ERROR, 4, SINCE, null),
        ContractBook.statusChange("c-2", "org-1", ContractStatus.RETRYING, 4, SINCE, null)));

    assertThat(stored.find("c-1").orElseThrow().status()).as("the poll's newer snapshot, decided again").isEqualTo(ContractStatus.ERROR);
    assertThat(stored.find("c-1").orElseThrow().statusVersion()).isEqualTo(4);
    assertThat(stored.find("c-2").orElseThrow().statusVersion()).isEqualTo(4);
  }

  private static BilledContract registration(String contractId, String orgId) {
    return BilledContract.registration(contractId, orgId, Cohort.CURRENT, MONTHLY_1ST, 3000, "tok_ok", PERIOD);
  }

  /** The ledger's store, its reads and writes counted. */
  private static final class CountingStore implements LedgerStore {
    private final InMemoryBilling store;
    int reads;
    int writes;

    CountingStore(InMemoryBilling store) {
      this.store = store;
    }

    @Override
    public Optional<BilledContract> find(String contractId) {
      reads++;
      return store.find(contractId);
    }

    @Override
    public boolean save(BilledContract next, List<OutboxMessage> messages) {
      writes++;
      return store.save(next, messages);
    }

    @Override
    public Map<String, BilledContract> findAll(Collection<String> contractIds) {
      reads++;
      return store.findAll(contractIds);
    }

    @Override
    public Set<String> saveAll(List<Saving> changes) {
      writes++;
      return store.saveAll(changes);
    }

    @Override
    public List<BilledContract> dueOn(LocalDate day, String afterId, int limit) {
      return store.dueOn(day, afterId, limit);
    }

    @Override
    public List<BilledContract> withAttemptInFlight() {
      return store.withAttemptInFlight();
    }

    @Override
    public List<BilledContract> withRefundsDue(String orgId, int limit) {
      return store.withRefundsDue(orgId, limit);
    }
  }
}
