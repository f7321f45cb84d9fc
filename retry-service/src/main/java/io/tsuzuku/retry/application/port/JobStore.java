package io.tsuzuku.retry.application.port;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Durable jobs with a due time, claimed by one instance at a time under a lease. */
public interface JobStore {

  enum State {
    PENDING,
    CLAIMED,
    DONE,
    SKIPPED,
    WITHDRAWN
  }

  /** Adds the job unless a job with its id exists (in any state): scheduling is idempotent. */
  void schedule(RetryJob job);

  /** Withdraws the contract's pending jobs of these kinds, except {@code keepJobId} (may be null). */
  int withdraw(String contractId, Set<JobKind> kinds, String keepJobId);

  /**
   * Withdraws the contract's pending jobs of periods up to {@code period}: a payment of that period
   * ends them, and an old payment delivered again never ends the jobs of a later failure.
   */
  int withdrawUpTo(String contractId, java.time.LocalDate period);

  /**
   * Claims up to {@code max} jobs due by {@code dueBy} (the business clock) that are pending, or
   * claimed under a lease that ran out before {@code now} (the machine's clock: their instance
   * died), until {@code leaseUntil}, earliest first. Each job is claimed by one atomic update, so
   * two instances never both claim it.
   */
  List<RetryJob> claimDue(Instant dueBy, String owner, Instant now, Instant leaseUntil, int max);

  /**
   * Records how a claimed job ended, with the messages its run sends, in one write: only while
   * {@code owner} still holds the claim, so an instance whose lease ran out and whose job another
   * instance claimed meanwhile sends nothing.
   *
   * @return false when the job is no longer this owner's
   */
  boolean finish(String jobId, String owner, State state, List<OutboxMessage> messages);
}
