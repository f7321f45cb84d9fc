package io.tsuzuku.status.application;

import io.tsuzuku.security.RequestRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.status.application.BulkResult.Item;
import io.tsuzuku.status.application.port.SupporterContacts;
import io.tsuzuku.status.application.BulkResult.Outcome;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Attempt;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Interval;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.status.domain.Supporter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The administrators' bulk operations, on an in-memory store with a fixed clock. */
class BulkOperationsTest {

  /** 2027-03-01 09:00 in Tokyo. */
  private static final Instant NOW = Instant.parse("2027-03-01T00:00:00Z");
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final LocalDate PERIOD = LocalDate.of(2026, 11, 1);
  private static final Actor ADMIN = Actor.administrator("admin@org-1");

  private final InMemoryContractStore store = new InMemoryContractStore();
  private final ContractEvents contracts = new ContractEvents(store, new NoMessages(), () -> {});
  private final AdminPolicy policy = new AdminPolicy(TOKYO, Duration.ofDays(90), LocalTime.of(10, 0), Duration.ofDays(30), 5);
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final ContractListing listing =
      new ContractListing(
          (orgId, filter, afterId, limit) ->
              store.documents.values().stream()
                  .map(StoredContract::contract)
                  .filter(c -> c.orgId().equals(orgId))
                  .filter(filter::matches)
                  .filter(c -> afterId == null || c.contractId().compareTo(afterId) > 0)
                  .sorted(Comparator.comparing(Contract::contractId))
                  .limit(limit)
                  .toList(),
          policy, clock);
  private final BulkOperations operations = new BulkOperations(contracts, listing, policy, new InMemorySupporterContacts().budget(clock, policy.zone()), clock);

  /**
   * A filter-based cancellation dies after acting on the first contract it resolved, before it
   * answered; meanwhile another contract starts matching the filter. The repeat with the same key
   * finishes the first request on exactly the contracts it resolved.
   */
  @Test
  void aFilteredRequestRepeatedAfterACrashActsOnExactlyTheContractsItFirstResolved() {
    inError("c-1", Cohort.CURRENT);
    inError("c-2", Cohort.CURRENT);
    var requests = new IdempotentRequests(new InMemoryIdempotencyStore(clock), listing, clock, Duration.ofDays(7));
    var filter = new Selection.Matching(errorFilter());
    var acted = new java.util.ArrayList<String>();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> requests.run("org-1", "k-1", "cancel ERROR", false, filter, selection -> {
      var result = operations.cancellations("org-1", selection, "clean-up", false, ADMIN, "key:k-1");
      acted.addAll(result.items().stream().map(Item::contractId).toList());
      throw new IllegalStateException("the process died before answering");
    })).isInstanceOf(IllegalStateException.class);
    inError("c-3", Cohort.CURRENT); // matches the filter from now on

    var repeated = requests.run("org-1", "k-1", "cancel ERROR", false, filter,
        selection -> operations.cancellations("org-1", selection, "clean-up", false, ADMIN, "key:k-1"));

    assertThat(acted).containsExactly("c-1", "c-2");
    assertThat(repeated.items()).extracting(Item::contractId).containsExactly("c-1", "c-2");
    assertThat(contract("c-3").status()).isEqualTo(Status.ERROR);
    assertThat(requests.run("org-1", "k-1", "cancel ERROR", false, filter, selection -> {
      throw new AssertionError("answered from the key, not run again");
    })).isEqualTo(repeated);
  }

  @Test
  void aKeyPastItsLifetimeIsRefusedNotEvaluatedAgain() {
    inError("c-1", Cohort.CURRENT);
    var mutableClock = new io.tsuzuku.testkit.MovableClock(NOW);
    var requests = new IdempotentRequests(new InMemoryIdempotencyStore(mutableClock), listing, mutableClock, Duration.ofDays(7));
    var filter = new Selection.Matching(errorFilter());
    requests.run("org-1", "k-1", "retry", false, filter,
        selection -> operations.manualRetries("org-1", selection, LocalDate.of(2027, 3, 10), false, ADMIN, "key:k-1"));

    mutableClock.advance(Duration.ofDays(7));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> requests.run("org-1", "k-1", "retry", false, filter, selection -> {
      throw new AssertionError("never evaluated again");
    })).isInstanceOfSatisfying(RequestRefused.class, e -> assertThat(e.code()).isEqualTo("IDEMPOTENCY_KEY_EXPIRED"));
  }

  @Test
  void aRequestRefusedAsBadInputLeavesItsKeyFree() {
    var requests = new IdempotentRequests(new InMemoryIdempotencyStore(clock), listing, clock, Duration.ofDays(7));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> requests.run("org-1", "k-1", "cancel", false, ids("c-1"),
        selection -> operations.cancellations("org-1", selection, " ", false, ADMIN, "key:k-1")))
        .isInstanceOfSatisfying(RequestRefused.class, e -> assertThat(e.code()).isEqualTo("REASON_REQUIRED"));

    inError("c-1", Cohort.CURRENT);
    var result = requests.run("org-1", "k-1", "cancel with a reason", false, ids("c-1"),
        selection -> operations.cancellations("org-1", selection, "moved away", false, ADMIN, "key:k-1"));
    assertThat(result.items()).containsExactly(Item.done("c-1", Outcome.CANCELLED));
  }

  private static ContractFilter errorFilter() {
    return ContractFilter.inStatus(Status.ERROR);
  }

  @Test
  void aManualRetryForALaterDateRunsAtTheConfiguredTimeOfThatDayInTokyo() {
    inError("c-1", Cohort.CURRENT);

    var result = operations.manualRetries("org-1", ids("c-1"), LocalDate.of(2027, 3, 10), false, ADMIN, "r-1");

    assertThat(result.items()).containsExactly(Item.done("c-1", Outcome.SCHEDULED));
    var pending = contract("c-1").pendingManualRetry();
    assertThat(pending.retryOn()).isEqualTo(LocalDate.of(2027, 3, 10));
    assertThat(pending.runAt()).isEqualTo(Instant.parse("2027-03-10T01:00:00Z"));
  }

  @Test
  void aManualRetryForTodayRunsAsSoonAsPossible() {
    inError("c-1", Cohort.CURRENT);

    operations.manualRetries("org-1", ids("c-1"), LocalDate.of(2027, 3, 1), false, ADMIN, "r-1");

    assertThat(contract("c-1").pendingManualRetry().runAt()).isEqualTo(NOW);
  }

  @Test
  void aSecondRequestMovesThePendingManualRetry() {
    inError("c-1", Cohort.CURRENT);
    operations.manualRetries("org-1", ids("c-1"), LocalDate.of(2027, 3, 10), false, ADMIN, "r-1");

    var moved = operations.manualRetries("org-1", ids("c-1"), LocalDate.of(2027, 4, 1), false, ADMIN, "r-2");

    assertThat(moved.items()).containsExactly(Item.done("c-1", Outcome.MOVED));
    assertThat(contract("c-1").pendingManualRetry().retryOn()).isEqualTo(LocalDate.of(2027, 4, 1));
  }

  @Test
  void eachRefusalSaysWhyAndChangesNothing() {
    active("c-active");
    inError("c-legacy", Cohort.LEGACY);
    inError("c-ok", Cohort.CURRENT);
    register("c-other-org", "org-2");

    var result =
        operations.manualRetries(
            "org-1", ids("c-active", "c-legacy", "c-unknown", "c-other-org", "c-ok"), LocalDate.of(2027, 3, 10), false, ADMIN, "r-1");

    assertThat(result.items())
        .extracting(Item::contractId, Item::outcome, Item::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("c-active", Outcome.REFUSED, "NOT_IN_ERROR"),
            org.assertj.core.groups.Tuple.tuple("c-legacy", Outcome.REFUSED, "LEGACY_COHORT"),
            org.assertj.core.groups.Tuple.tuple("c-unknown", Outcome.REFUSED, "UNKNOWN_CONTRACT"),
            org.assertj.core.groups.Tuple.tuple("c-other-org", Outcome.REFUSED, "UNKNOWN_CONTRACT"),
            org.assertj.core.groups.Tuple.tuple("c-ok", Outcome.SCHEDULED, null));
    assertThat(contract("c-legacy").pendingManualRetry()).isNull();
  }

  @Test
  void aDateInThePastOrBeyondTheHorizonIsRefused() {
    inError("c-1", Cohort.CURRENT);

    var past = operations.manualRetries("org-1", ids("c-1"), LocalDate.of(2027, 2, 28), false, ADMIN, "r-1");
    var far = operations.manualRetries("org-1", ids("c-1"), LocalDate.of(2027, 5, 31), false, ADMIN, "r-2");
    var last = operations.manualRetries("org-1", ids("c-1"), LocalDate.of(2027, 5, 30), true, ADMIN, "r-3");

    assertThat(past.items().get(0).reason()).isEqualTo("DATE_OUT_OF_RANGE");
    assertThat(far.items().get(0).reason()).isEqualTo("DATE_OUT_OF_RANGE");
    assertThat(last.items().get(0).outcome()).as("today + 90 days").isEqualTo(Outcome.SCHEDULED);
  }

  @Test
  void theSixteenthAttemptIn30DaysIsRefused() {
    inError("c-1", Cohort.CURRENT);
    for (int i = 0; i < 14; i++) {
      fail("c-1", ChargeKind.MANUAL_RETRY, NOW.minus(Duration.ofDays(20)).plusSeconds(i));
    }
    var fifteenth = operations.manualRetries("org-1", ids("c-1"), LocalDate.of(2027, 3, 2), true, ADMIN, "r-1");
    fail("c-1", ChargeKind.MANUAL_RETRY, NOW.minus(Duration.ofDays(19)));

    var sixteenth = operations.manualRetries("org-1", ids("c-1"), LocalDate.of(2027, 3, 2), false, ADMIN, "r-2");

    assertThat(fifteenth.items().get(0).outcome()).isEqualTo(Outcome.SCHEDULED);
    assertThat(sixteenth.items().get(0).reason()).isEqualTo("ATTEMPT_BUDGET_EXCEEDED");
    assertThat(contract("c-1").pendingManualRetry()).isNull();
  }

  @Test
  void aDryRunReportsWhatWouldHappenAndChangesNothing() {
    inError("c-1", Cohort.CURRENT);
    var before = store.documents.get("c-1");

    var result = operations.cancellations("org-1", ids("c-1"), "no answer", true, ADMIN, "r-1");

    assertThat(result.dryRun()).isTrue();
    assertThat(result.items()).containsExactly(Item.done("c-1", Outcome.CANCELLED));
    assertThat(store.documents.get("c-1")).isEqualTo(before);
  }

  @Test
  void aDryRunAnswersWhatTheRealCallThenDoesForEveryKindOfContractAndOperation() {
    active("c-active");
    inError("c-error", Cohort.CURRENT);
    inError("c-legacy", Cohort.LEGACY);
    inError("c-spent", Cohort.CURRENT);
    for (int i = 0; i < 15; i++) {
      fail("c-spent", ChargeKind.MANUAL_RETRY, NOW.minus(Duration.ofDays(5)).plusSeconds(i));
    }
    inError("c-pending", Cohort.CURRENT);
    operations.manualRetries("org-1", ids("c-pending"), LocalDate.of(2027, 3, 10), false, ADMIN, "before");
    inError("c-notified", Cohort.CURRENT);
    operations.finalNotices("org-1", ids("c-notified"), false, ADMIN, "before");
    inError("c-cancelled", Cohort.CURRENT);
    operations.cancellations("org-1", ids("c-cancelled"), "before", false, ADMIN, "before");
    var all = List.of("c-active", "c-error", "c-legacy", "c-spent", "c-pending", "c-notified", "c-cancelled");
    var operationsToTry = new java.util.LinkedHashMap<String, java.util.function.BiFunction<Boolean, String, BulkResult>>();
    operationsToTry.put("manual retry", (dry, id) -> operations.manualRetries("org-1", ids(id), LocalDate.of(2027, 3, 20), dry, ADMIN, "r-" + id));
    operationsToTry.put("manual retry today", (dry, id) -> operations.manualRetries("org-1", ids(id), LocalDate.of(2027, 3, 1), dry, ADMIN, "t-" + id));
    operationsToTry.put("withdrawal", (dry, id) -> dry ? null : operations.withdrawManualRetry("org-1", id, ADMIN, "w-" + id));
    operationsToTry.put("final notice", (dry, id) -> operations.finalNotices("org-1", ids(id), dry, ADMIN, "n-" + id));
    operationsToTry.put("re-payment request", (dry, id) -> operations.repaymentRequests("org-1", ids(id), dry, ADMIN, "q-" + id));
    operationsToTry.put("cancellation", (dry, id) -> operations.cancellations("org-1", ids(id), "no answer", dry, ADMIN, "x-" + id));

    for (var operation : operationsToTry.entrySet()) {
      for (var id : all) {
        var snapshot = new java.util.HashMap<>(store.documents);
        var dry = operation.getValue().apply(true, id);
        var real = operation.getValue().apply(false, id);
        if (dry != null) {
          assertThat(real.items()).as(operation.getKey() + " of " + id).isEqualTo(dry.items());
        }
        assertThat(real.items().get(0).reason()).as(operation.getKey() + " of " + id).isNotEqualTo("CHANGED_MEANWHILE");
        store.documents.clear();
        store.documents.putAll(snapshot); // each operation on the contracts as they were
      }
    }
  }

  @Test
  void repeatingARequestActsOnce() {
    inError("c-1", Cohort.CURRENT);

    operations.finalNotices("org-1", ids("c-1"), false, ADMIN, "key:same");
    var versionAfterFirst = contract("c-1").version();
    operations.finalNotices("org-1", ids("c-1"), false, ADMIN, "key:same");

    assertThat(contract("c-1").version()).isEqualTo(versionAfterFirst);
  }

  @Test
  void aFinalNoticeIsNotSentAgainWithinTheInterval() {
    inError("c-1", Cohort.CURRENT);
    operations.finalNotices("org-1", ids("c-1"), false, ADMIN, "r-1");

    var again = operations.finalNotices("org-1", ids("c-1"), false, ADMIN, "r-2");

    assertThat(again.items()).extracting(Item::outcome, Item::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Outcome.SKIPPED, "RECENTLY_NOTIFIED"));
    assertThat(contract("c-1").lastFinalNoticeOn()).isEqualTo(LocalDate.of(2027, 3, 1));
  }

  @Test
  void finalNoticesByFilterReachOnlyContractsInErrorForLongEnough() {
    inError("c-long", Cohort.CURRENT);
    inError("c-recent", Cohort.CURRENT, NOW.minus(Duration.ofDays(10)));

    var result =
        operations.finalNotices(
            "org-1", new Selection.Matching(new ContractFilter(Status.ERROR, null, listing.before(java.time.Period.ofMonths(3)), null, null, null)),
            false, ADMIN, "r-1");

    assertThat(result.items()).containsExactly(Item.done("c-long", Outcome.SENT));
  }

  /**
   * A re-payment request goes to a contract with a period outstanding and is counted on it; the
   * supporter's contact budget counts it with the final notices, across the supporter's contracts,
   * and what it holds back is answered with the reason, the contract unchanged.
   */
  @Test
  void aSupportersRequestsAndFinalNoticesShareTheirContactBudgetAcrossTheirContracts() {
    inError("c-1", Cohort.CURRENT);
    inError("c-2", Cohort.CURRENT);
    inError("c-3", Cohort.CURRENT);
    active("c-4");

    var notice = operations.finalNotices("org-1", ids("c-1"), false, ADMIN, "r-1");
    var requests = operations.repaymentRequests("org-1", ids("c-2", "c-3", "c-4"), false, ADMIN, "r-2");
    var repeated = operations.repaymentRequests("org-1", ids("c-2"), false, ADMIN, "r-2");

    assertThat(notice.items()).containsExactly(Item.done("c-1", Outcome.SENT));
    assertThat(requests.items()).extracting(Item::contractId, Item::outcome, Item::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple("c-2", Outcome.SENT, null),
        org.assertj.core.groups.Tuple.tuple("c-3", Outcome.HELD_BACK, "CONTACT_BUDGET"),
        org.assertj.core.groups.Tuple.tuple("c-4", Outcome.REFUSED, "NOT_ALLOWED_IN_ACTIVE"));
    assertThat(repeated.items()).containsExactly(Item.done("c-2", Outcome.SENT));
    assertThat(contract("c-2").repaymentRequestsSent()).isEqualTo(1);
    assertThat(contract("c-2").lastRepaymentRequestOn()).isEqualTo(LocalDate.of(2027, 3, 1));
    assertThat(contract("c-3").repaymentRequestsSent()).isZero();
  }

  /** A request that went out at 20:58 and is repeated under its key at 21:01 answers what it did, not the quiet hours. */
  @Test
  void aRequestRepeatedAfterTheQuietHoursBeganAnswersWhatItSent() {
    inError("c-1", Cohort.CURRENT);
    var contacts = new InMemorySupporterContacts();
    var evening = Clock.fixed(LocalDate.of(2027, 3, 1).atTime(20, 58).atZone(TOKYO).toInstant(), ZoneOffset.UTC);
    var night = Clock.fixed(LocalDate.of(2027, 3, 1).atTime(21, 1).atZone(TOKYO).toInstant(), ZoneOffset.UTC);

    var sent = new BulkOperations(contracts, listing, policy, contacts.budget(evening, TOKYO), evening)
        .repaymentRequests("org-1", ids("c-1"), false, ADMIN, "key:k");
    var repeated = new BulkOperations(contracts, listing, policy, contacts.budget(night, TOKYO), night)
        .repaymentRequests("org-1", ids("c-1"), false, ADMIN, "key:k");

    assertThat(sent.items()).containsExactly(Item.done("c-1", Outcome.SENT));
    assertThat(repeated.items()).containsExactly(Item.done("c-1", Outcome.SENT));
    assertThat(contract("c-1").repaymentRequestsSent()).isEqualTo(1);
  }

  @Test
  void nobodyIsWrittenToInTheQuietHours() {
    inError("c-1", Cohort.CURRENT);
    var night = Clock.fixed(LocalDate.of(2027, 3, 1).atTime(21, 30).atZone(TOKYO).toInstant(), ZoneOffset.UTC);
    var atNight = new BulkOperations(contracts, listing, policy, new InMemorySupporterContacts().budget(night, TOKYO), night);

    var result = atNight.repaymentRequests("org-1", ids("c-1"), false, ADMIN, "r-1");

    assertThat(result.items()).extracting(Item::outcome, Item::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Outcome.HELD_BACK, "QUIET_HOURS"));
    assertThat(contract("c-1").repaymentRequestsSent()).isZero();
  }

  @Test
  void aCancellationNeedsAReasonAndSkipsCancelledContracts() {
    inError("c-1", Cohort.CURRENT);
    operations.cancellations("org-1", ids("c-1"), "no answer to the final notice", false, ADMIN, "r-1");

    var again = operations.cancellations("org-1", ids("c-1"), "again", false, ADMIN, "r-2");

    assertThat(contract("c-1").status()).isEqualTo(Status.CANCELLED);
    assertThat(again.items().get(0).reason()).isEqualTo("ALREADY_CANCELLED");
    assertThatThrownBy(() -> operations.cancellations("org-1", ids("c-1"), " ", false, ADMIN, "r-3"))
        .isInstanceOf(RequestRefused.class)
        .hasFieldOrPropertyWithValue("code", "REASON_REQUIRED");
  }

  @Test
  void anEmptyOrOversizedSelectionIsRefusedAsAWhole() {
    assertThatThrownBy(() -> operations.cancellations("org-1", ids(), "r", false, ADMIN, "r-1"))
        .hasFieldOrPropertyWithValue("code", "EMPTY_SELECTION");
    assertThatThrownBy(() -> operations.cancellations("org-1", ids("a", "b", "c", "d", "e", "f"), "r", false, ADMIN, "r-1"))
        .hasFieldOrPropertyWithValue("code", "BULK_TOO_LARGE");
  }

  /**
   * A bulk acts on its contracts a group at a time, each group read and written together; a
   * contract paid between the listing that selected it and its group's write is refused, and
   * every other answer stays with its own contract, across groups.
   */
  @Test
  void aContractThatChangedAfterItWasSelectedIsRefusedAndEveryOtherIsActedOnAcrossGroups() {
    var count = 2 * BulkOperations.ACT_TOGETHER + 1;
    for (int i = 0; i < count; i++) {
      inError(String.format("c-%04d", i), Cohort.CURRENT);
    }
    var paid = String.format("c-%04d", BulkOperations.ACT_TOGETHER + 7);
    var listed = new java.util.concurrent.atomic.AtomicBoolean();
    var policy = new AdminPolicy(TOKYO, Duration.ofDays(90), LocalTime.of(10, 0), Duration.ofDays(30), count);
    var staleListing = new ContractListing((orgId, filter, afterId, limit) -> {
      var page = store.documents.values().stream().map(StoredContract::contract).filter(filter::matches)
          .filter(c -> afterId == null || c.contractId().compareTo(afterId) > 0)
          .sorted(Comparator.comparing(Contract::contractId)).limit(limit).toList();
      if (!listed.getAndSet(true)) {
        succeed(paid, ChargeKind.MANUAL_RETRY, NOW); // after the listing read it, before the bulk writes it
      }
      return page;
    }, policy, clock);

    var result = new BulkOperations(contracts, staleListing, policy, new InMemorySupporterContacts().budget(clock, policy.zone()), clock).manualRetries("org-1",
        new Selection.Matching(ContractFilter.inStatus(Status.ERROR)), LocalDate.of(2027, 3, 10), false, ADMIN, "r-1");

    assertThat(result.items()).hasSize(count);
    for (int i = 0; i < count; i++) {
      var id = String.format("c-%04d", i);
      var item = result.items().get(i);
      assertThat(item.contractId()).isEqualTo(id);
      if (id.equals(paid)) {
        assertThat(item.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(item.reason()).isEqualTo("CHANGED_MEANWHILE");
        assertThat(contract(id).status()).isEqualTo(Status.ACTIVE);
        assertThat(contract(id).pendingManualRetry()).isNull();
      } else {
        assertThat(item).as(id).isEqualTo(Item.done(id, Outcome.SCHEDULED));
        assertThat(contract(id).pendingManualRetry()).as(id).isNotNull();
      }
    }
  }

  /**
   * A contract cancelled after the request selected it takes no re-payment request: it is answered
   * as changed meanwhile, not as sent, and its supporter's place in the budget is given back.
   */
  @Test
  void aRequestNotMadeBecauseTheContractChangedGivesItsSupportersPlaceBack() {
    inError("c-1", Cohort.CURRENT);
    inError("c-2", Cohort.CURRENT);
    var listed = new java.util.concurrent.atomic.AtomicBoolean();
    var staleListing = new ContractListing((orgId, filter, afterId, limit) -> {
      var page = store.documents.values().stream().map(StoredContract::contract).filter(filter::matches)
          .filter(c -> afterId == null || c.contractId().compareTo(afterId) > 0)
          .sorted(Comparator.comparing(Contract::contractId)).limit(limit).toList();
      if (!listed.getAndSet(true)) { // after the listing read it, before the bulk writes it
        operations.cancellations("org-1", ids("c-1"), "the supporter called", false, ADMIN, "x-1");
      }
      return page;
    }, policy, clock);
    var contacts = new InMemorySupporterContacts();
    var bulk = new BulkOperations(contracts, staleListing, policy, contacts.budget(clock, TOKYO), clock);

    var result = bulk.repaymentRequests("org-1", new Selection.Matching(ContractFilter.inStatus(Status.ERROR)), false, ADMIN, "r-1");

    assertThat(result.items()).extracting(Item::contractId, Item::outcome, Item::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple("c-1", Outcome.REFUSED, "CHANGED_MEANWHILE"),
        org.assertj.core.groups.Tuple.tuple("c-2", Outcome.SENT, null));
    assertThat(contacts.since("org-1", List.of("s"), NOW.minus(Duration.ofDays(1))).get("s"))
        .extracting(SupporterContacts.Contact::id).containsExactly("r-1:c-2");
  }

  @Test
  void pagesFollowTheContractIdsWithoutRepeatsOrGaps() {
    for (int i = 1; i <= 5; i++) {
      active("c-" + i);
    }

    var first = listing.list("org-1", ContractFilter.ANY, 2, null);
    active("c-0"); // registered between two pages: before the cursor, not shown again
    var second = listing.list("org-1", ContractFilter.ANY, 2, first.nextAfterId());
    var third = listing.list("org-1", ContractFilter.ANY, 2, second.nextAfterId());

    assertThat(first.contracts()).extracting(Contract::contractId).containsExactly("c-1", "c-2");
    assertThat(second.contracts()).extracting(Contract::contractId).containsExactly("c-3", "c-4");
    assertThat(third.contracts()).extracting(Contract::contractId).containsExactly("c-5");
    assertThat(third.nextAfterId()).isNull();
  }

  private static Selection ids(String... ids) {
    return new Selection.Ids(List.of(ids));
  }

  private Contract contract(String id) {
    return Objects.requireNonNull(store.documents.get(id)).contract();
  }

  private void register(String id, String orgId) {
    contracts.register(Contract.register(id, orgId, Cohort.CURRENT, new Supporter("s", "n", "e@example.org"), 3000, NOW.minus(Duration.ofDays(400))), "reg-" + id);
  }

  private void active(String id) {
    register(id, "org-1");
  }

  private void inError(String id, Cohort cohort) {
    inError(id, cohort, NOW.minus(Duration.ofDays(100)));
  }

  private void inError(String id, Cohort cohort, Instant errorSince) {
    var registered = Contract.register(id, "org-1", cohort, new Supporter("s", "n", "e@example.org"), 3000, NOW.minus(Duration.ofDays(400)));
    contracts.register(registered, "reg-" + id);
    fail(id, ChargeKind.SCHEDULED, errorSince.minus(Duration.ofDays(21)));
    if (cohort == Cohort.CURRENT) {
      assertThat(contracts.apply(id, new ContractEvent.RetriesExhausted("ex-" + id, errorSince, PERIOD))).isEqualTo(ContractEvents.Result.APPLIED);
    } else {
      // a legacy contract never reaches ERROR through the table; stored so for the refusal check
      var stored = store.documents.get(id);
      var c = stored.contract();
      store.documents.put(id, new StoredContract(new Contract(c.contractId(), c.orgId(), c.cohort(), c.supporter(), c.amountYen(), Interval.MONTHLY, Status.ERROR, errorSince, errorSince, c.lastFailure(), c.outstandingPeriod(), c.lastPaidPeriod(), c.attemptsInPeriod(), c.recentAttempts(), null, null, null, null, 0, null, null, c.version()), stored.recentEventIds(), stored.outbox(), stored.pendingHistory(), stored.revision()));
    }
  }

  private void fail(String id, ChargeKind kind, Instant at) {
    contracts.apply(id, new ContractEvent.PaymentFailed(
        "f-" + id + "-" + at, at, new Attempt(id + ":" + PERIOD + ":" + kind, PERIOD, kind, 1), 3000, new Failure("card_declined", "SOFT_DECLINE", at)));
  }

  private void succeed(String id, ChargeKind kind, Instant at) {
    assertThat(contracts.apply(id, new ContractEvent.PaymentSucceeded("s-" + id, at, new Attempt(id + ":" + PERIOD + ":" + kind, PERIOD, kind, 5), 3000)))
        .isEqualTo(ContractEvents.Result.APPLIED);
  }
}
