package io.tsuzuku.retry.application.port;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.retry.domain.RetryJob;
import java.time.Instant;
import java.time.LocalDate;

/**
 * What the retry service tells the others, as messages saved with the change that caused them
 * and relayed afterwards. Event ids are derived from the job or the cause, so a message made again
 * for the same cause carries the same id.
 */
public interface RetryMessages {

  OutboxMessage retryScheduled(RetryJob job, Instant at);

  OutboxMessage retriesExhausted(
      String contractId, String orgId, LocalDate period, int retries, LastFailure lastFailure, String causeEventId, Instant at);

  OutboxMessage chargeRequested(RetryJob job, Instant at);

  OutboxMessage repaymentDeadlinePassed(RetryJob job, LocalDate deadline, Instant at);

  /** The failure that ended the automatic retries. */
  record LastFailure(String code, String failureClass, Instant at) {}
}
