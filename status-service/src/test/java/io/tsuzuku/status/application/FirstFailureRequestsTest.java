package io.tsuzuku.status.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tsuzuku.status.application.BulkResult.Item;
import io.tsuzuku.status.domain.Attempt;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Supporter;
import io.tsuzuku.testkit.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The re-payment request a contract's first failure sends by itself, for the organisations that ask
 * for it: once, not in the quiet hours, within the contact budget, and only while the failure is
 * recent.
 */
class FirstFailureRequestsTest {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final LocalDate PERIOD = LocalDate.of(2027, 3, 1);
  /** 02:00 in Tokyo, in the default quiet hours: when the month's charges run. */
  private static final Instant NIGHT = Instant.parse("2027-02-28T17:00:00Z");
  /** 09:00 in Tokyo the same day: the quiet hours are over. */
  private static final Instant MORNING = Instant.parse("2027-03-01T00:00:00Z");

  private final MovableClock clock = new MovableClock(NIGHT.minus(Duration.ofDays(40)));
  private final InMemoryContractStore store = new InMemoryContractStore();
  private final ContractEvents contracts = new ContractEvents(store, new NoMessages(), () -> {});
  private final InMemorySupporterContacts contacts = new InMemorySupporterContacts();
  private final AdminPolicy policy = new AdminPolicy(TOKYO, Duration.ofDays(90), LocalTime.of(10, 0), Duration.ofDays(30), 5);
  private final ContractListing listing = new ContractListing((orgId, filter, afterId, limit) -> store.documents.values().stream()
      .map(StoredContract::contract)
      .filter(c -> c.orgId().equals(orgId) && filter.matches(c) && (afterId == null || c.contractId().compareTo(afterId) > 0))
      .sorted(Comparator.comparing(Contract::contractId))
      .limit(limit)
      .toList(), policy, clock);
  private final BulkOperations operations = new BulkOperations(contracts, listing, policy, contacts.budget(clock, TOKYO), clock);
  private final FirstFailureRequests requests = new FirstFailureRequests(contacts, listing, operations, clock);

  @Test
  void aFirstFailureAtNightIsAskedToRePayInTheMorningOnceAndOnlyWhereTheOrganisationAsksForIt() {
    asksOnFirstFailure("org-1", 2);
    register("c-1", "org-1", "s-1");
    register("c-9", "org-2", "s-9");
    clock.set(NIGHT);
    fail("c-1", ChargeKind.SCHEDULED, 0);
    fail("c-9", ChargeKind.SCHEDULED, 0);

    assertThat(requests.sendDue()).as("in the quiet hours").isEmpty();
    clock.set(MORNING);
    var sent = requests.sendDue();
    var again = requests.sendDue();

    assertThat(sent).extracting(Item::contractId, Item::outcome).containsExactly(tuple("c-1", BulkResult.Outcome.SENT));
    assertThat(again).isEmpty();
    assertThat(contract("c-1").repaymentRequestsSent()).isEqualTo(1);
    assertThat(store.documents.get("c-1").pendingHistory()).filteredOn(line -> line.trigger().equals("REPAYMENT_REQUESTED"))
        .extracting(HistoryEntry::actor).containsExactly("first-failure notice");
    assertThat(contract("c-9").repaymentRequestsSent()).as("its organisation does not ask for it").isZero();

    // the weekly retry fails too: the contract is still in its first failure's episode, asked already
    clock.set(MORNING.plus(Duration.ofDays(7)));
    fail("c-1", ChargeKind.AUTO_RETRY, 1);
    assertThat(requests.sendDue()).isEmpty();
    assertThat(contract("c-1").repaymentRequestsSent()).isEqualTo(1);
  }

  @Test
  void aRequestTheBudgetHoldsBackIsAskedAgainWhileTheFailureIsRecentAndNeverSentBeyondTheBudget() {
    asksOnFirstFailure("org-1", 1);
    register("c-2", "org-1", "s-2");
    register("c-3", "org-1", "s-2");
    clock.set(MORNING);
    fail("c-2", ChargeKind.SCHEDULED, 0);
    fail("c-3", ChargeKind.SCHEDULED, 0);

    var first = requests.sendDue();
    clock.advance(Duration.ofDays(2));
    var second = requests.sendDue();
    clock.advance(Duration.ofDays(2));
    var late = requests.sendDue();

    assertThat(first).extracting(Item::contractId, Item::outcome).containsExactly(
        tuple("c-2", BulkResult.Outcome.SENT), tuple("c-3", BulkResult.Outcome.HELD_BACK));
    assertThat(first.get(1).reason()).isEqualTo("CONTACT_BUDGET");
    assertThat(second).extracting(Item::contractId, Item::outcome).containsExactly(tuple("c-3", BulkResult.Outcome.HELD_BACK));
    assertThat(late).as("the failure is no longer recent").isEmpty();
    assertThat(contract("c-2").repaymentRequestsSent() + contract("c-3").repaymentRequestsSent()).isEqualTo(1);
  }

  /**
   * A decline that needs a new card gets no automatic retry: the contract is in ERROR by the morning,
   * and its supporter, who can only come back through a re-payment with a new card, is asked all the
   * same. A contract in ERROR after weeks of retries is not in its first failure.
   */
  @Test
  void aContractInErrorOnItsFirstFailureIsAskedAndOneInErrorAfterItsRetriesIsNot() {
    asksOnFirstFailure("org-1", 2);
    register("c-4", "org-1", "s-4");
    register("c-5", "org-1", "s-5");
    clock.set(NIGHT.minus(Duration.ofDays(21)));
    fail("c-5", ChargeKind.SCHEDULED, 0);
    clock.set(NIGHT.minus(Duration.ofDays(14)));
    fail("c-5", ChargeKind.AUTO_RETRY, 1);
    clock.set(NIGHT);
    contracts.apply("c-5", new ContractEvent.RetriesExhausted("x-c-5", NIGHT, PERIOD));
    fail("c-4", ChargeKind.SCHEDULED, 0);
    contracts.apply("c-4", new ContractEvent.RetriesExhausted("x-c-4", NIGHT, PERIOD));

    clock.set(MORNING);
    var sent = requests.sendDue();

    assertThat(contract("c-4").status()).isEqualTo(io.tsuzuku.status.domain.Status.ERROR);
    assertThat(contract("c-5").status()).isEqualTo(io.tsuzuku.status.domain.Status.ERROR);
    assertThat(sent).extracting(Item::contractId, Item::outcome).containsExactly(tuple("c-4", BulkResult.Outcome.SENT));
  }

  /** The administrator asked first, after the look listed the contract: the look sends nothing more. */
  @Test
  void anAdministratorsRequestThatCameFirstIsNotFollowedByThisOne() {
    asksOnFirstFailure("org-1", 2);
    register("c-6", "org-1", "s-6");
    clock.set(MORNING);
    fail("c-6", ChargeKind.SCHEDULED, 0);
    var listed = listing.list("org-1", ContractFilter.inStatus(io.tsuzuku.status.domain.Status.RETRYING), 10, null).contracts();
    operations.repaymentRequests("org-1", new Selection.Ids(List.of("c-6")), false, io.tsuzuku.status.domain.Actor.administrator("admin"), "key:k");
    // the look still sees the contract as it listed it, before the administrator's request
    var asListed = new ContractListing((orgId, filter, afterId, limit) -> afterId == null
        ? listed.stream().filter(filter::matches).toList() : List.of(), policy, clock);

    var answers = new FirstFailureRequests(contacts, asListed, operations, clock).sendDue();

    assertThat(answers).extracting(Item::outcome, Item::reason).containsExactly(tuple(BulkResult.Outcome.SKIPPED, "NO_LONGER_DUE"));
    assertThat(contract("c-6").repaymentRequestsSent()).isEqualTo(1);
  }

  /** The organisation asks for the request on the first failure, at most {@code maxContacts} in 30 days, quiet 21:00–09:00. */
  private void asksOnFirstFailure(String orgId, int maxContacts) {
    contacts.set(orgId, new ContactBudget.Policy(maxContacts, 30, LocalTime.of(21, 0), LocalTime.of(9, 0), true));
  }

  private void register(String contractId, String orgId, String supporterId) {
    contracts.register(Contract.register(contractId, orgId, Cohort.CURRENT, new Supporter(supporterId, "n", supporterId + "@example.org"),
        3000, clock.instant()), "reg-" + contractId);
  }

  private void fail(String contractId, ChargeKind kind, int number) {
    var at = clock.instant();
    contracts.apply(contractId, new ContractEvent.PaymentFailed(contractId + ":" + kind + number, at,
        new Attempt(contractId + ":" + PERIOD + ":" + kind + ":" + number, PERIOD, kind, number), 3000,
        new Failure("insufficient_funds", "SOFT_DECLINE", at)));
  }

  private Contract contract(String contractId) {
    return store.documents.get(contractId).contract();
  }
}
