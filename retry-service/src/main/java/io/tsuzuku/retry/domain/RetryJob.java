package io.tsuzuku.retry.domain;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A job due at a time. Its id is the identity of the attempt it makes, (contract, period, kind,
 * number), so scheduling it twice is scheduling it once, and a second dispatch carries the same
 * attempt id, which billing recognises.
 */
public record RetryJob(
    String jobId, String contractId, String orgId, JobKind kind, int number, LocalDate period, Instant dueAt) {

  public static RetryJob of(
      String contractId, String orgId, JobKind kind, int number, LocalDate period, Instant dueAt) {
    return new RetryJob(attemptId(contractId, period, kind, number), contractId, orgId, kind, number, period, dueAt);
  }

  /** The attempt id billing charges under (its payment processor's idempotency key). */
  public static String attemptId(String contractId, LocalDate period, JobKind kind, int number) {
    return contractId + ":" + period + ":" + kind + ":" + number;
  }
}
