package io.tsuzuku.status.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.status.adapter.out.mongo.MongoStandingPlans;
import io.tsuzuku.status.application.BulkResult.Outcome;
import io.tsuzuku.status.application.port.StandingPlans;
import io.tsuzuku.status.domain.Attempt;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.status.domain.Supporter;
import io.tsuzuku.testkit.MovableClock;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Standing retry plans through the application, their plans and runs in the MongoDB-wire server,
 * the contracts in memory; the business clock and the instances' lease clock are moved apart.
 */
@WithEmbeddedInfrastructure
class StandingRetriesIT {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final LocalDate PERIOD = LocalDate.of(2027, 1, 10);
  private static final PlanSchedule FIFTH_AT_TEN = new PlanSchedule(PlanSchedule.Kind.DAY_OF_MONTH, 5, null, null, LocalTime.of(10, 0));

  private static final Duration LEASE = Duration.ofMinutes(2);

  private final MovableClock clock = new MovableClock(tokyo(2027, 3, 1, 9, 0));
  private final MovableClock leaseClock = new MovableClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final InMemoryContractStore store = new InMemoryContractStore();
  private final ContractEvents contracts = new ContractEvents(store, new NoMessages(), () -> {});
  private final AdminPolicy policy = new AdminPolicy(TOKYO, Duration.ofDays(90), LocalTime.of(10, 0), Duration.ofDays(30), 5);
  private final ContractListing listing = new ContractListing(
      (orgId, filter, afterId, limit) -> store.documents.values().stream().map(StoredContract::contract)
          .filter(c -> c.orgId().equals(orgId)).filter(filter::matches)
          .filter(c -> afterId == null || c.contractId().compareTo(afterId) > 0)
          .sorted(Comparator.comparing(Contract::contractId)).limit(limit).toList(),
      policy, clock);
  private final BulkOperations operations = new BulkOperations(contracts, listing, policy, new InMemorySupporterContacts().budget(clock, policy.zone()), clock);
  private MongoClient client;
  private StandingPlans plans;
  private StandingRetries standing;

  @BeforeEach
  void connect(Endpoints endpoints) {
    client = MongoClients.create(endpoints.mongoUri());
    plans = new MongoStandingPlans(client.getDatabase("plans-it-" + UUID.randomUUID()));
    standing = new StandingRetries(plans, operations, contracts, listing, clock, leaseClock, LEASE);
  }

  @AfterEach
  void close() {
    client.close();
  }

  /**
   * Two contracts in ERROR can be retried, one waits for a new card, one is ACTIVE: the preview
   * says so with the money at stake, and the run on the 5th does what it said, once, whichever of
   * two instances looks first; the plan then waits for the 5th of the next month.
   */
  @Test
  void aPlanRunsOnItsDayOnceAsItsPreviewSaid() {
    inError("c-1", 3000, "SOFT_DECLINE", ago(100));
    inError("c-2", 5000, "SOFT_DECLINE", ago(40));
    inError("c-3", 2000, "HARD_DECLINE", ago(40));
    contracts.register(Contract.register("c-4", "org-1", Cohort.CURRENT, supporter(), 1000, clock.instant()), "reg-c-4");
    var plan = standing.create("org-1", "salary day", FIFTH_AT_TEN, null, false, "admin@org-1");
    assertThat(plan.nextRunAt()).isEqualTo(tokyo(2027, 3, 5, 10, 0));

    var preview = standing.preview("org-1", plan.planId());
    assertThat(preview.matched()).isEqualTo(3);
    assertThat(preview.retried()).isEqualTo(2);
    assertThat(preview.retriedYen()).isEqualTo(8000);
    assertThat(preview.notRetried()).isEqualTo(Map.of("NEW_CARD_REQUIRED", 1L));

    clock.set(tokyo(2027, 3, 5, 9, 59));
    assertThat(standing.runDue("a")).isZero();
    clock.set(tokyo(2027, 3, 5, 10, 0, 30));
    assertThat(standing.runDue("a")).isEqualTo(1);
    assertThat(standing.runDue("b")).isZero();
    clock.set(tokyo(2027, 3, 5, 18, 0));
    assertThat(standing.runDue("b")).isZero();

    var run = standing.run("org-1", plan.planId(), LocalDate.of(2027, 3, 5));
    assertThat(run.getKey().state()).isEqualTo(PlanRun.State.DONE);
    assertThat(run.getKey().summary()).isEqualTo(Map.of(Outcome.SCHEDULED, 2L, Outcome.REFUSED, 1L));
    assertThat(run.getKey().retriedYen()).isEqualTo(preview.retriedYen());
    assertThat(run.getValue()).isEqualTo(preview.items());
    assertThat(contracts.find("c-1").orElseThrow().pendingManualRetry().retryOn()).isEqualTo(LocalDate.of(2027, 3, 5));
    assertThat(contracts.find("c-3").orElseThrow().pendingManualRetry()).isNull();
    assertThat(store.documents.get("c-1").recentEventIds()).contains(plan.planId() + ":2027-03-05:c-1");
    var after = standing.find("org-1", plan.planId());
    assertThat(after.nextRunAt()).isEqualTo(tokyo(2027, 4, 5, 10, 0));
    assertThat(after.lastRunOn()).isEqualTo(LocalDate.of(2027, 3, 5));
    assertThat(standing.runs("org-1", plan.planId())).singleElement().extracting(PlanRun::contractIds).isNull();
  }

  /**
   * The instance running a plan stops after ordering the first contract's retry, before recording
   * it; another contract enters ERROR meanwhile. While the lease holds no other instance runs it;
   * then the next, after midnight, continues with exactly the contracts resolved: the retry ordered
   * stands as ordered and is recorded so, the other is ordered at once.
   */
  @Test
  void aRunLeftByAStoppedInstanceIsContinuedWithTheContractsItResolved() {
    inError("c-1", 3000, "SOFT_DECLINE", ago(100));
    inError("c-3", 4000, "SOFT_DECLINE", ago(100));
    var plan = standing.create("org-1", "salary day", FIFTH_AT_TEN, null, false, "admin@org-1");
    clock.set(tokyo(2027, 3, 5, 10, 0, 30));
    var runOn = LocalDate.of(2027, 3, 5);
    var runId = PlanRun.idOf(plan.planId(), runOn);
    assertThat(plans.claim(PlanRun.of(plan, runOn, PlanRun.State.RUNNING, clock.instant()), "a", leaseClock.instant(),
        leaseClock.instant().plus(LEASE))).isEqualTo(StandingPlans.Claim.TAKEN);
    assertThat(plans.resolve(runId, "a", List.of("c-1", "c-3"), leaseClock.instant().plus(LEASE))).isTrue();
    operations.manualRetries("org-1", new Selection.Resolved(List.of("c-1")), runOn, false,
        io.tsuzuku.status.domain.Actor.administrator("standing plan " + plan.planId()), runId);
    var orderedAt = clock.instant();
    inError("c-2", 5000, "SOFT_DECLINE", ago(1)); // "a" stops here

    assertThat(standing.runDue("b")).isZero();
    leaseClock.advance(LEASE.plusSeconds(1));
    clock.set(tokyo(2027, 3, 6, 0, 5)); // past midnight: the run is continued, not missed
    assertThat(standing.runDue("b")).isEqualTo(1);

    var run = standing.run("org-1", plan.planId(), runOn);
    assertThat(run.getKey().takeovers()).isEqualTo(1);
    assertThat(run.getValue()).extracting(PlanRun.Result::contractId).containsExactly("c-1", "c-3");
    assertThat(run.getValue()).extracting(PlanRun.Result::outcome).containsExactly(Outcome.SCHEDULED, Outcome.SCHEDULED);
    assertThat(run.getKey().retriedYen()).isEqualTo(7000);
    assertThat(contracts.find("c-1").orElseThrow().pendingManualRetry().runAt()).as("not ordered again").isEqualTo(orderedAt);
    assertThat(contracts.find("c-3").orElseThrow().pendingManualRetry().runAt()).isEqualTo(clock.instant());
    assertThat(contracts.find("c-2").orElseThrow().pendingManualRetry()).isNull();
    assertThat(plans.progress(runId, "a", 1, List.of(), leaseClock.instant())).as("a lost the run").isFalse();
  }

  /** A run that every instance that takes it fails to end is given up, and the plan goes on to its next month. */
  @Test
  void aRunTakenOverAgainAndAgainIsGivenUp() {
    inError("c-1", 3000, "SOFT_DECLINE", ago(100));
    var plan = standing.create("org-1", "salary day", FIFTH_AT_TEN, null, false, "admin@org-1");
    clock.set(tokyo(2027, 3, 5, 10, 0, 30));
    var runOn = LocalDate.of(2027, 3, 5);
    for (int instance = 0; instance <= StandingRetries.MOST_TAKEOVERS; instance++) {
      assertThat(plans.claim(PlanRun.of(plan, runOn, PlanRun.State.RUNNING, clock.instant()), "i-" + instance,
          leaseClock.instant(), leaseClock.instant().plus(LEASE))).isEqualTo(StandingPlans.Claim.TAKEN);
      leaseClock.advance(LEASE.plusSeconds(1));
    }

    assertThat(standing.runDue("last")).isZero();

    assertThat(standing.run("org-1", plan.planId(), runOn).getKey().state()).isEqualTo(PlanRun.State.FAILED);
    assertThat(standing.find("org-1", plan.planId()).nextRunAt()).isEqualTo(tokyo(2027, 4, 5, 10, 0));
    assertThat(contracts.find("c-1").orElseThrow().pendingManualRetry()).isNull();
  }

  /**
   * Less than a day late (the service was stopped at the plan's time), a run is made up; more than
   * a day late, it is recorded MISSED, not made up.
   */
  @Test
  void aRunLessThanADayLateIsMadeUpAndOneMoreThanADayLateIsRecordedMissed() {
    inError("c-1", 3000, "SOFT_DECLINE", ago(100));
    var plan = standing.create("org-1", "salary day", FIFTH_AT_TEN, null, false, "admin@org-1");

    clock.set(tokyo(2027, 3, 6, 9, 0));
    assertThat(standing.runDue("a")).isEqualTo(1);
    assertThat(contracts.find("c-1").orElseThrow().pendingManualRetry().runAt()).isEqualTo(clock.instant());

    clock.set(tokyo(2027, 4, 6, 10, 1));
    assertThat(standing.runDue("a")).isZero();
    assertThat(standing.runs("org-1", plan.planId())).extracting(PlanRun::state)
        .containsExactly(PlanRun.State.MISSED, PlanRun.State.DONE);
    assertThat(standing.find("org-1", plan.planId()).nextRunAt()).isEqualTo(tokyo(2027, 5, 5, 10, 0));
  }

  /**
   * Paused, a plan does not run; resumed, it runs at its next time from then; while its run is due it
   * cannot be changed, and an edit on a run's day waits a month.
   */
  @Test
  void pausedEditedAndDeletedPlans() {
    inError("c-1", 3000, "SOFT_DECLINE", ago(100));
    var plan = standing.create("org-1", "salary day", FIFTH_AT_TEN, null, true, "admin@org-1");
    clock.set(tokyo(2027, 3, 5, 10, 0, 30));
    assertThat(standing.runDue("a")).isZero();

    clock.set(tokyo(2027, 3, 10, 9, 0));
    var resumed = standing.update("org-1", plan.planId(), "salary day", FIFTH_AT_TEN, null, false);
    assertThat(resumed.nextRunAt()).isEqualTo(tokyo(2027, 4, 5, 10, 0));
    clock.set(tokyo(2027, 4, 5, 10, 0, 30));
    assertThatThrownBy(() -> standing.update("org-1", plan.planId(), "salary day", FIFTH_AT_TEN, null, true))
        .as("a run due is not left half done").isInstanceOfSatisfying(RequestRefused.class,
            refused -> assertThat(refused.code()).isEqualTo("PLAN_RUNNING"));
    assertThatThrownBy(() -> standing.delete("org-1", plan.planId())).isInstanceOf(RequestRefused.class);
    assertThat(standing.runDue("a")).isEqualTo(1);

    var later = new PlanSchedule(PlanSchedule.Kind.DAY_OF_MONTH, 5, null, null, LocalTime.of(15, 0));
    var edited = standing.update("org-1", plan.planId(), "salary day, afternoon", later, null, false);
    assertThat(edited.nextRunAt()).isEqualTo(tokyo(2027, 5, 5, 15, 0));
    assertThat(plans.replace(resumed)).as("an edit from a stale read").isFalse();

    standing.delete("org-1", plan.planId());
    assertThatThrownBy(() -> standing.find("org-1", plan.planId())).isInstanceOfSatisfying(RequestRefused.class,
        refused -> assertThat(refused.code()).isEqualTo("PLAN_NOT_FOUND"));
    assertThat(plans.run(PlanRun.idOf(plan.planId(), LocalDate.of(2027, 4, 5)))).as("its runs stay on record").isPresent();
  }

  private void inError(String id, long yen, String declineClass, Instant errorSince) {
    contracts.register(Contract.register(id, "org-1", Cohort.CURRENT, supporter(), yen, errorSince.minus(Duration.ofDays(400))), "reg-" + id);
    var failedAt = errorSince.minus(Duration.ofDays(21));
    contracts.apply(id, new ContractEvent.PaymentFailed("f-" + id, failedAt,
        new Attempt(id + ":" + PERIOD + ":SCHEDULED:0", PERIOD, ChargeKind.SCHEDULED, 0), yen,
        new Failure("HARD_DECLINE".equals(declineClass) ? "stolen_card" : "card_declined", declineClass, failedAt)));
    contracts.apply(id, new ContractEvent.RetriesExhausted("ex-" + id, errorSince, PERIOD));
    assertThat(contracts.find(id).orElseThrow().status()).isEqualTo(Status.ERROR);
  }

  private Instant ago(int days) {
    return clock.instant().minus(Duration.ofDays(days));
  }

  private static Supporter supporter() {
    return new Supporter("s", "n", "e@example.org");
  }

  private static Instant tokyo(int year, int month, int day, int hour, int minute) {
    return tokyo(year, month, day, hour, minute, 0);
  }

  private static Instant tokyo(int year, int month, int day, int hour, int minute, int second) {
    return LocalDateTime.of(year, month, day, hour, minute, second).atZone(TOKYO).toInstant();
  }
}
