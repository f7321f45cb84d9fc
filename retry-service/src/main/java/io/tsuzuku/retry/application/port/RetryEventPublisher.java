package io.tsuzuku.retry.application.port;

import io.tsuzuku.retry.domain.RetryJob;
import java.time.Instant;
import java.time.LocalDate;

/**
 * What the retry service tells the others. Each call returns once the broker acknowledged it.
 * Event ids are derived from the job or the cause, so a repeated call publishes the same event.
 */
public interface RetryEventPublisher {

  void retryScheduled(RetryJob job, Instant at);

  void retriesExhausted(String contractId, String orgId, LocalDate period, int retries, LastFailure lastFailure, String causeEventId, Instant at);

  void chargeRequested(RetryJob job, Instant at);

  void repaymentDeadlinePassed(RetryJob job, LocalDate deadline, Instant at);

  /** The failure that ended the automatic retries. */
  record LastFailure(String code, String failureClass, Instant at) {}
}
