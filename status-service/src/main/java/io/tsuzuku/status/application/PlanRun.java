package io.tsuzuku.status.application;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * One run of a standing retry plan: one a plan and business date, whichever instance ran it
 * (docs/admin-api.md, "Standing retry plans").
 *
 * @param runId the plan's id and the date: the run's identity, and the request id of its retries
 * @param contractIds the contracts its filter matched when it began, null until then: an instance
 *     that takes a run over acts on exactly these
 * @param done how many of them were acted on
 * @param takeovers how many times an instance took it over from one whose lease had ended
 * @param summary contracts by outcome, once DONE
 * @param retriedYen the amount of the contracts retried, once DONE
 */
public record PlanRun(
    String runId,
    String planId,
    String orgId,
    String planName,
    LocalDate runOn,
    State state,
    Instant startedAt,
    Instant finishedAt,
    List<String> contractIds,
    int done,
    int takeovers,
    Map<BulkResult.Outcome, Long> summary,
    long retriedYen) {

  public enum State {
    /** Under way, or stopped with its instance: another instance takes it over once its lease ends. */
    RUNNING,
    DONE,
    /** The plan's time passed more than a day ago with no instance running it (the service was stopped). */
    MISSED,
    /** Taken over {@link StandingRetries#MOST_TAKEOVERS} times without ending: given up, with the results so far. */
    FAILED
  }

  /** What the run did to one contract, with the contract's amount (a period's charge). */
  public record Result(String contractId, BulkResult.Outcome outcome, String reason, String detail, long amountYen) {}

  public static String idOf(String planId, LocalDate runOn) {
    return planId + ":" + runOn;
  }

  /** A run as it begins (or is recorded as it ends, MISSED). */
  static PlanRun of(StandingPlan plan, LocalDate runOn, State state, Instant at) {
    return new PlanRun(idOf(plan.planId(), runOn), plan.planId(), plan.orgId(), plan.name(), runOn, state, at,
        state == State.RUNNING ? null : at, state == State.RUNNING ? null : List.of(), 0, 0, Map.of(), 0);
  }

  /** Whether a result is a retry ordered (scheduled, or an earlier pending one moved to the run). */
  static boolean retried(BulkResult.Outcome outcome) {
    return outcome == BulkResult.Outcome.SCHEDULED || outcome == BulkResult.Outcome.MOVED;
  }
}
