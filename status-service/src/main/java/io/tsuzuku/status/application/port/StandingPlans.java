package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.BulkResult;
import io.tsuzuku.status.application.PlanRun;
import io.tsuzuku.status.application.StandingPlan;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where standing retry plans, their runs and the runs' per-contract results are kept. */
public interface StandingPlans {

  /** How an instance's claim on a run ended. */
  enum Claim {
    /** This instance runs it (new, or taken over from an instance whose lease ended). */
    TAKEN,
    /** Another instance is running it. */
    BUSY,
    /** It already ran (DONE or MISSED). */
    ENDED
  }

  void insert(StandingPlan plan);

  long count(String orgId);

  Optional<StandingPlan> find(String orgId, String planId);

  List<StandingPlan> list(String orgId);

  /** Replaces the plan if its stored version is the one before {@code plan}'s; false otherwise. */
  boolean replace(StandingPlan plan);

  boolean delete(String orgId, String planId);

  /** The plans not paused whose next run is at {@code now} or before. */
  List<StandingPlan> due(Instant now);

  /** Moves the plan past the run of {@code ranOn}, if its next run is still {@code runAt}. */
  void advance(String planId, Instant runAt, Instant nextRunAt, LocalDate ranOn);

  /**
   * Inserts the run as RUNNING by {@code owner}, or takes it over from an owner whose lease ended
   * before {@code now} (counting the takeover).
   */
  Claim claim(PlanRun run, String owner, Instant now, Instant leaseUntil);

  /** The stored run. */
  Optional<PlanRun> run(String runId);

  /** Keeps the contracts the run acts on; false if the owner lost the run. */
  boolean resolve(String runId, String owner, List<String> contractIds, Instant leaseUntil);

  /** Keeps the results of the contracts acted on so far; false if the owner lost the run. */
  boolean progress(String runId, String owner, int done, List<PlanRun.Result> results, Instant leaseUntil);

  /** Ends the run (DONE, or FAILED) with its summary. */
  void finish(String runId, String owner, PlanRun.State state, Instant at, Map<BulkResult.Outcome, Long> summary, long retriedYen);

  /** Records a run whose day passed unrun (nothing if it exists). */
  void missed(PlanRun run);

  /** The plan's runs, the latest first, without their contracts. */
  List<PlanRun> runs(String orgId, String planId, int limit);

  /** The results of a run, in the order acted on. */
  List<PlanRun.Result> results(String runId);
}
