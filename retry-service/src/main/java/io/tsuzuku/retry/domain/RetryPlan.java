package io.tsuzuku.retry.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * What one event does to a contract for the retry service ({@link RetryPlanner}): its view
 * afterwards, the jobs to schedule or withdraw, and what to announce to the other services.
 */
public record RetryPlan(ContractView view, List<JobChange> jobs, List<Announcement> announcements) {

  public RetryPlan {
    jobs = List.copyOf(jobs);
    announcements = List.copyOf(announcements);
  }

  /** The event changes the view only. */
  public static RetryPlan of(ContractView view) {
    return new RetryPlan(view, List.of(), List.of());
  }

  /** A change to the contract's jobs. */
  public sealed interface JobChange {
    /** Schedules the job, unless one with its id exists. */
    record Schedule(RetryJob job) implements JobChange {}

    /** Withdraws the pending jobs of these kinds, except the one with {@code keepJobId} (may be null). */
    record Withdraw(Set<JobKind> kinds, String keepJobId) implements JobChange {}

    /** Withdraws the pending manual retry due at {@code dueAt} (null: every pending one). */
    record WithdrawManualRetry(Instant dueAt) implements JobChange {}

    /**
     * Withdraws the pending jobs of periods up to {@code period}: a payment of that period ends
     * them, and an old payment delivered again never ends the jobs of a later failure.
     */
    record WithdrawUpTo(LocalDate period) implements JobChange {}
  }

  /** What the retry service tells the other services. */
  public sealed interface Announcement {
    /** A retry will run at {@code runAt}. */
    record RetryScheduled(RetryJob job, Instant runAt) implements Announcement {}

    /**
     * Every automatic retry of {@code period} failed ({@code retries} of them): the contract goes
     * to ERROR. {@code failure} is the last failure, as reported.
     */
    record RetriesExhausted(String contractId, String orgId, LocalDate period, int retries, Inputs.PaymentFailed failure)
        implements Announcement {}
  }
}
