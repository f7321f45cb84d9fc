package io.tsuzuku.retry.application.port;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import io.tsuzuku.retry.domain.RetryPlan.JobChange;
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

  /** Withdraws the contract's pending manual retry due at {@code dueAt} (null: every pending one). */
  int withdrawManualRetry(String contractId, Instant dueAt);

  /**
   * Withdraws the contract's pending jobs of periods up to {@code period}: a payment of that period
   * ends them, and an old payment delivered again never ends the jobs of a later failure.
   */
  int withdrawUpTo(String contractId, java.time.LocalDate period);

  /** A change of a contract's jobs, for {@link #writeAll}. */
  record Change(String contractId, JobChange change) {}

  /**
   * Writes the changes in their order, each as its own method does; a store sends them together
   * (one round trip for a poll's events).
   */
  default void writeAll(List<Change> changes) {
    for (var c : changes) {
      if (c.change() instanceof JobChange.Schedule schedule) {
        schedule(schedule.job());
      } else if (c.change() instanceof JobChange.Withdraw withdraw) {
        withdraw(c.contractId(), withdraw.kinds(), withdraw.keepJobId());
      } else if (c.change() instanceof JobChange.WithdrawManualRetry withdraw) {
        withdrawManualRetry(c.contractId(), withdraw.dueAt());
      } else if (c.change() instanceof JobChange.WithdrawUpTo withdraw) {
        withdrawUpTo(c.contractId(), withdraw.period());
      }
    }
  }

  /**
   * Claims up to {@code max} jobs due by {@code dueBy} (the business clock) that are pending, or
   * claimed under a lease that ran out before {@code now} (the machine's clock: their instance
   * died), until {@code leaseUntil}, in no particular order, in one round trip for the batch. Each job is
   * claimed by its own atomic update, so two instances never both claim it: the jobs another
   * instance won are not in the batch.
   */
  List<RetryJob> claimDue(Instant dueBy, String owner, Instant now, Instant leaseUntil, int max);

  /** How a claimed job ended, with the messages its run sends. */
  record Finished(String jobId, State state, List<OutboxMessage> messages) {}

  /**
   * Records how claimed jobs ended, each with its messages in one write, and the batch in one round
   * trip: each only while {@code owner} still holds its claim, so an instance whose lease ran out
   * and whose job another instance claimed meanwhile sends nothing for it.
   *
   * @return the ids of the jobs this owner finished (the others are no longer its)
   */
  Set<String> finish(String owner, List<Finished> finished);
}
