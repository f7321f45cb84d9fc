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

  public static RetryJob of(
      String contractId, String orgId, JobKind kind, int number, LocalDate period, Instant dueAt) {
    return new RetryJob(AttemptIds.of(contractId, period, kind.name(), number), contractId, orgId, kind, number, period, dueAt,
        null);
  }
}
