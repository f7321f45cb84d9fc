package io.tsuzuku.retry.domain;

import io.tsuzuku.schemas.AttemptIds;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A job due at a time. Its id is the identity of the attempt it makes ({@link AttemptIds}: the
 * event contract's), so scheduling it twice is scheduling it once, and a second dispatch carries
 * the same attempt id, which billing recognises. A legacy deadline's id has the same shape.
 *
 * @param traceParent the trace of the event that scheduled it, which its command continues days
 *     later (null: none)
 */
public record RetryJob(String jobId, String contractId, String orgId, JobKind kind, int number, LocalDate period,
    Instant dueAt, String traceParent) {

  /** What a due job does, by the contract's latest status as the retry service saw it. */
  public enum WhenDue {
    /** Sends its command. */
    RUN,
    /** Ends without a command: the contract is cancelled. */
    SKIP,
    /** Stays pending, looked at again on the next pass: the status it needs has not arrived yet. */
    WAIT
  }

  /**
   * What this job does once due, for a contract whose latest status is {@code status} (null: none
   * seen yet). The status lags behind (it travels on another topic): an automatic retry or a
   * deadline is skipped only for a cancelled contract, since a payment withdraws its jobs and
   * billing's ledger refuses a charge for a period no longer outstanding; a status still showing
   * ACTIVE may just not have read RETRYING yet. A manual retry was ordered for a contract in ERROR
   * and every way out of ERROR withdraws it, so it waits until the status shows ERROR rather than
   * being skipped for good.
   */
  public WhenDue whenDue(ContractStatus status) {
    if (status == ContractStatus.CANCELLED) {
      return WhenDue.SKIP;
    }
    return kind == JobKind.MANUAL_RETRY && status != ContractStatus.ERROR ? WhenDue.WAIT : WhenDue.RUN;
  }

  /** This job in the trace given, unless it has one already. */
  public RetryJob inTrace(String trace) {
    return traceParent != null || trace == null ? this
        : new RetryJob(jobId, contractId, orgId, kind, number, period, dueAt, trace);
  }

  public static RetryJob of(
      String contractId, String orgId, JobKind kind, int number, LocalDate period, Instant dueAt) {
    return new RetryJob(AttemptIds.of(contractId, period, kind.name(), number), contractId, orgId, kind, number, period, dueAt,
        null);
  }
}
