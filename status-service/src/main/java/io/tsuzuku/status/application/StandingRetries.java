package io.tsuzuku.status.application;

import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.security.RequestRefused.Kind;
import io.tsuzuku.status.application.port.StandingPlans;
import io.tsuzuku.status.domain.Actor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standing retry plans (docs/admin-api.md, "Standing retry plans"): an organisation's routine of
 * retrying its contracts in ERROR on a fixed day each month, kept, previewed and run here.
 *
 * <p>A run is the bulk manual retry an administrator would order that day, through {@link
 * BulkOperations}: the transition table still decides which contract may take it (cohort, decline,
 * attempt budget). It runs once a plan and date: the run's document, keyed by both, is claimed by
 * one instance with a lease; an instance that stops mid-run leaves its place and the contracts it
 * resolved, and the next instance continues from there. The retries' event ids are the run's id and
 * the contract's, so the group in flight when an instance stopped is not ordered twice.
 */
public final class StandingRetries {

  private static final Logger log = LoggerFactory.getLogger(StandingRetries.class);

  /** A run whose time passed less than this long ago is made up late; after that it is recorded MISSED. */
  static final Duration MADE_UP_WITHIN = Duration.ofDays(1);

  /** A run taken over more often than this is given up (FAILED), so that one run never holds its plan for good. */
  static final int MOST_TAKEOVERS = 3;

  /** How many contracts a run reads, acts on and records together. */
  static final int GROUP = BulkOperations.ACT_TOGETHER;

  /** What a plan's next run would do if it ran now: the dry run of its retries. */
  public record Preview(
      Instant runAt, int matched, int retried, long retriedYen, Map<String, Long> notRetried, List<PlanRun.Result> items) {}

  private final StandingPlans plans;
  private final BulkOperations operations;
  private final ContractEvents contracts;
  private final ContractListing listing;
  private final Clock clock;
  private final Clock leaseClock;
  private final Duration lease;

  /**
   * @param leaseClock the instances' own time, for leases (the business clock may be moved)
   * @param lease how long a run is its instance's without a word from it
   */
  public StandingRetries(StandingPlans plans, BulkOperations operations, ContractEvents contracts, ContractListing listing,
      Clock clock, Clock leaseClock, Duration lease) {
    this.plans = plans;
    this.operations = operations;
    this.contracts = contracts;
    this.listing = listing;
    this.clock = clock;
    this.leaseClock = leaseClock;
    this.lease = lease;
  }

  public StandingPlan create(String orgId, String name, PlanSchedule schedule, StandingPlan.Filter filter, boolean paused,
      String createdBy) {
    if (plans.count(orgId) >= StandingPlan.MOST_PER_ORGANISATION) {
      throw new RequestRefused(Kind.CONFLICT, "TOO_MANY_PLANS",
          "an organisation has at most " + StandingPlan.MOST_PER_ORGANISATION + " standing plans");
    }
    var now = clock.instant();
    var plan = new StandingPlan(UUID.randomUUID().toString(), orgId, name, schedule, filter, paused,
        StandingPlan.nextRun(schedule, now, null, zone()), null, createdBy, now, 1);
    plans.insert(plan);
    return plan;
  }

  /**
   * Replaces what an administrator sets ({@code paused} null: as it is): the next run is worked out
   * again from now (a paused plan's missed days are not made up on resuming), never on a date the
   * plan already ran.
   */
  public StandingPlan update(String orgId, String planId, String name, PlanSchedule schedule, StandingPlan.Filter filter,
      Boolean paused) {
    var stored = notDue(find(orgId, planId));
    var plan = new StandingPlan(planId, orgId, name, schedule, filter, paused == null ? stored.paused() : paused,
        StandingPlan.nextRun(schedule, clock.instant(), stored.lastRunOn(), zone()), stored.lastRunOn(), stored.createdBy(),
        stored.createdAt(), stored.version() + 1);
    if (!plans.replace(plan)) {
      throw new RequestRefused(Kind.CONFLICT, "PLAN_CHANGED", "the plan changed or ran meanwhile: read it again");
    }
    return plan;
  }

  public void delete(String orgId, String planId) {
    if (!plans.delete(notDue(find(orgId, planId)).orgId(), planId)) {
      throw notFound(planId);
    }
  }

  /**
   * The plan, unless its run is due or under way: an edit or a deletion then waits until the run is
   * done (it is over in minutes once an instance sees it), so that no run is left half done.
   */
  private StandingPlan notDue(StandingPlan plan) {
    if (!plan.paused() && !plan.nextRunAt().isAfter(clock.instant())) {
      throw new RequestRefused(Kind.CONFLICT, "PLAN_RUNNING",
          "the plan's run of " + dayTime(plan.nextRunAt()) + " is due or under way: change the plan once it is done");
    }
    return plan;
  }

  private String dayTime(Instant at) {
    return at.atZone(zone()).toLocalDateTime().toString().replace('T', ' ');
  }

  public StandingPlan find(String orgId, String planId) {
    return plans.find(orgId, planId).orElseThrow(() -> notFound(planId));
  }

  public List<StandingPlan> list(String orgId) {
    return plans.list(orgId);
  }

  public List<PlanRun> runs(String orgId, String planId) {
    find(orgId, planId);
    return plans.runs(orgId, planId, 120);
  }

  /** A run and what it did to each contract. */
  public Map.Entry<PlanRun, List<PlanRun.Result>> run(String orgId, String planId, LocalDate runOn) {
    var run = plans.run(PlanRun.idOf(find(orgId, planId).planId(), runOn)).filter(r -> r.orgId().equals(orgId))
        .orElseThrow(() -> new RequestRefused(Kind.NOT_FOUND, "RUN_NOT_FOUND", "the plan did not run on " + runOn));
    return Map.entry(withoutContracts(run), plans.results(run.runId()));
  }

  /**
   * The dry run of the plan's next run, as the contracts stand now: which it would retry, for how
   * much, and why it would leave the others (the attempt budget, a card needing replacing, …).
   */
  public Preview preview(String orgId, String planId) {
    var plan = find(orgId, planId);
    var runOn = later(plan.nextRunAt().atZone(zone()).toLocalDate(), listing.today());
    var results = new ArrayList<PlanRun.Result>();
    var now = clock.instant();
    var ids = matching(plan, plan.nextRunAt().isAfter(now) ? plan.nextRunAt() : now); // "months in ERROR" at the run
    for (int from = 0; from < ids.size(); from += GROUP) {
      results.addAll(retry(plan, ids.subList(from, Math.min(from + GROUP, ids.size())), runOn, true, "preview"));
    }
    var notRetried = new TreeMap<String, Long>();
    results.stream().filter(r -> !PlanRun.retried(r.outcome())).forEach(r -> notRetried.merge(r.reason(), 1L, Long::sum));
    var retried = results.stream().filter(r -> PlanRun.retried(r.outcome())).toList();
    return new Preview(plan.nextRunAt(), ids.size(), retried.size(), retried.stream().mapToLong(PlanRun.Result::amountYen).sum(),
        notRetried, results);
  }

  /** Runs every plan whose time has come (a pass of the service's periodic task); answers how many ran. */
  public int runDue(String owner) {
    int ran = 0;
    for (var plan : plans.due(clock.instant())) {
      try {
        ran += runOnce(plan, owner) ? 1 : 0;
      } catch (RuntimeException e) { // the run stays claimed; its lease ends and the next pass continues it
        log.warn("standing plan run failed plan={} org={} reason='{}'", plan.planId(), plan.orgId(), e.getMessage());
      }
    }
    return ran;
  }

  private boolean runOnce(StandingPlan due, String owner) {
    var plan = plans.find(due.orgId(), due.planId()).orElse(null); // paused, edited or deleted since the pass began
    if (plan == null || plan.paused() || !plan.nextRunAt().equals(due.nextRunAt())) {
      return false;
    }
    var now = clock.instant();
    var runOn = plan.nextRunAt().atZone(zone()).toLocalDate();
    var runId = PlanRun.idOf(plan.planId(), runOn);
    var next = StandingPlan.nextRun(plan.schedule(), now, runOn, zone());
    if (now.isAfter(plan.nextRunAt().plus(MADE_UP_WITHIN)) && plans.run(runId).isEmpty()) { // no instance ran for a day
      plans.missed(PlanRun.of(plan, runOn, PlanRun.State.MISSED, now));
      log.warn("standing plan missed its run plan={} org={} day={}", plan.planId(), plan.orgId(), runOn);
      plans.advance(plan.planId(), plan.nextRunAt(), next, runOn);
      return false;
    }
    var claim = plans.claim(PlanRun.of(plan, runOn, PlanRun.State.RUNNING, now), owner, leaseClock.instant(), leaseUntil());
    if (claim == StandingPlans.Claim.ENDED) {
      plans.advance(plan.planId(), plan.nextRunAt(), next, runOn);
    }
    if (claim != StandingPlans.Claim.TAKEN) {
      return false;
    }
    var run = plans.run(runId).orElseThrow();
    if (run.takeovers() > MOST_TAKEOVERS) { // whatever stops it stops every instance: the plan goes on next time
      log.error("standing plan run given up after {} takeovers plan={} org={} day={}", MOST_TAKEOVERS, plan.planId(),
          plan.orgId(), runOn);
      finish(run, owner, PlanRun.State.FAILED);
      plans.advance(plan.planId(), plan.nextRunAt(), next, runOn);
      return false;
    }
    var ids = run.contractIds();
    if (ids == null) {
      ids = matching(plan, now);
      if (!plans.resolve(runId, owner, ids, leaseUntil())) {
        return false;
      }
    }
    var retryOn = later(runOn, listing.today()); // a run made up or taken over after midnight retries at once
    for (int from = run.done(); from < ids.size(); from += GROUP) {
      var to = Math.min(from + GROUP, ids.size());
      var results = retry(plan, ids.subList(from, to), retryOn, false, runId);
      if (!plans.progress(runId, owner, to, results, leaseUntil())) {
        log.warn("standing plan run lost plan={} day={} owner='{}'", plan.planId(), runOn, owner);
        return false;
      }
    }
    var summary = finish(run, owner, PlanRun.State.DONE);
    plans.advance(plan.planId(), plan.nextRunAt(), next, runOn);
    log.info("standing plan ran plan={} org={} day={} contracts={} summary={}", plan.planId(), plan.orgId(), runOn, ids.size(),
        summary);
    return true;
  }

  /** Ends the run with the summary of its results. */
  private Map<BulkResult.Outcome, Long> finish(PlanRun run, String owner, PlanRun.State state) {
    var summary = new TreeMap<BulkResult.Outcome, Long>();
    long yen = 0;
    for (var result : plans.results(run.runId())) {
      summary.merge(result.outcome(), 1L, Long::sum);
      yen += PlanRun.retried(result.outcome()) ? result.amountYen() : 0;
    }
    plans.finish(run.runId(), owner, state, clock.instant(), summary, yen);
    return summary;
  }

  /** The manual retries of these contracts on {@code runOn}, each result with the contract's amount. */
  private List<PlanRun.Result> retry(StandingPlan plan, List<String> ids, LocalDate runOn, boolean dryRun, String requestId) {
    var stored = contracts.storedAll(ids);
    // a group acted on again after a takeover: what this run ordered already stands as it was ordered
    var ordered = dryRun ? java.util.Set.<String>of() : stored.keySet().stream()
        .filter(id -> stored.get(id).hasSeen(requestId + ":" + id)).collect(java.util.stream.Collectors.toSet());
    var actor = Actor.administrator("standing plan " + plan.planId());
    var rest = ids.stream().filter(id -> !ordered.contains(id)).toList();
    var items = new java.util.HashMap<String, BulkResult.Item>();
    if (!rest.isEmpty()) {
      operations.manualRetries(plan.orgId(), new Selection.Resolved(rest), runOn, dryRun, actor, requestId).items()
          .forEach(item -> items.put(item.contractId(), item));
    }
    var results = new ArrayList<PlanRun.Result>(ids.size());
    for (var id : ids) {
      var item = items.get(id);
      var amount = stored.containsKey(id) ? stored.get(id).contract().amountYen() : 0;
      results.add(item == null ? new PlanRun.Result(id, BulkResult.Outcome.SCHEDULED, null, null, amount)
          : new PlanRun.Result(id, item.outcome(), item.reason(), item.detail(), amount));
    }
    return results;
  }

  /** The contracts in ERROR the plan's filter matches at {@code at}, by id, page by page (no bulk bound). */
  private List<String> matching(StandingPlan plan, Instant at) {
    var filter = plan.filter().at(at, zone());
    var ids = new ArrayList<String>();
    String after = null;
    do {
      var page = listing.list(plan.orgId(), filter, 1_000, after);
      page.contracts().forEach(c -> ids.add(c.contractId()));
      after = page.nextAfterId();
    } while (after != null);
    return ids;
  }

  private Instant leaseUntil() {
    return leaseClock.instant().plus(lease);
  }

  private ZoneId zone() {
    return listing.zone();
  }

  private static PlanRun withoutContracts(PlanRun run) {
    return new PlanRun(run.runId(), run.planId(), run.orgId(), run.planName(), run.runOn(), run.state(), run.startedAt(),
        run.finishedAt(), null, run.done(), run.takeovers(), run.summary(), run.retriedYen());
  }

  private static LocalDate later(LocalDate a, LocalDate b) {
    return a.isAfter(b) ? a : b;
  }

  private static RequestRefused notFound(String planId) {
    return new RequestRefused(Kind.NOT_FOUND, "PLAN_NOT_FOUND", "no standing plan " + planId);
  }
}
