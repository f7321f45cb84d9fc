package io.tsuzuku.retry.application;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.retry.application.port.JobStore;
import io.tsuzuku.retry.application.port.RetryMessages;
import io.tsuzuku.retry.application.port.ViewStore;
import io.tsuzuku.retry.domain.ContractView;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Runs the jobs that are due: each is claimed by exactly one instance (an atomic claim with a
 * lease), and finished with the command it sends in one write, only while its claim still holds
 * (the service kit's outbox relays the command); whether a due job runs, is skipped or waits is
 * the job's own rule ({@link RetryJob#whenDue}). Jobs that fell due
 * while every instance was down run once when one returns, not once per missed tick; a job whose
 * instance died is claimed again when its lease runs out, and an instance that lost its claim
 * meanwhile finishes nothing and sends nothing, so each job sends its command once.
 */
public final class DueJobs {

  private final BiConsumer<RetryJob, JobStore.State> ran;
  private final JobStore jobs;
  private final ViewStore views;
  private final RetryMessages messages;
  private final Clock clock;
  private final Clock leaseClock;
  private final Duration lease;
  private final ZoneId zone;
  private final Runnable messagesSaved;

  /**
   * How many jobs one claim takes at most; each stays leased while the batch runs, which takes a
   * few round trips to the store (claim, views, finish), not a few a job.
   */
  public static final int BATCH = 1_000;

  /**
   * @param clock the business clock, which makes jobs due
   * @param leaseClock the machine's clock, which ends leases (a simulated business clock may run
   *     a day a second)
   */
  public DueJobs(
      JobStore jobs, ViewStore views, RetryMessages messages, Clock clock, Clock leaseClock, Duration lease, ZoneId zone) {
    this(jobs, views, messages, clock, leaseClock, lease, zone, (job, state) -> {}, () -> {});
  }

  /**
   * @param ran told of every job run, with what it came to (the service counts them)
   * @param messagesSaved told after a batch saved commands (the relay publishes them at once)
   */
  public DueJobs(JobStore jobs, ViewStore views, RetryMessages messages, Clock clock, Clock leaseClock, Duration lease,
      ZoneId zone, BiConsumer<RetryJob, JobStore.State> ran, Runnable messagesSaved) {
    this.ran = ran;
    this.jobs = jobs;
    this.views = views;
    this.messages = messages;
    this.clock = clock;
    this.leaseClock = leaseClock;
    this.lease = lease;
    this.zone = zone;
    this.messagesSaved = messagesSaved;
  }

  /** Runs every job due now; returns how many this instance dispatched or skipped. */
  public int runDue(String owner) {
    int count = 0;
    while (true) {
      var claimedAt = leaseClock.instant();
      var batch = jobs.claimDue(clock.instant(), owner, claimedAt, claimedAt.plus(lease), BATCH);
      if (batch.isEmpty()) {
        return count;
      }
      var views = this.views.findAll(batch.stream().map(RetryJob::contractId).toList());
      var finished = batch.stream().map(job -> finish(job, views.get(job.contractId()))).toList();
      var ours = jobs.finish(owner, finished);
      int ran = 0;
      for (int i = 0; i < batch.size(); i++) {
        if (ours.contains(batch.get(i).jobId()) && finished.get(i).state() != JobStore.State.PENDING) {
          this.ran.accept(batch.get(i), finished.get(i).state());
          ran++;
        }
      }
      count += ran;
      messagesSaved.run();
      if (ran == 0) {
        return count; // only jobs that wait for their status were due: the next pass looks again
      }
    }
  }

  /** How the job ends, by {@link RetryJob#whenDue}: DONE with its command, SKIPPED, or back to PENDING. */
  private JobStore.Finished finish(RetryJob job, ContractView view) {
    var state = switch (job.whenDue(view == null ? null : view.status())) {
      case RUN -> JobStore.State.DONE;
      case SKIP -> JobStore.State.SKIPPED;
      case WAIT -> JobStore.State.PENDING;
    };
    return new JobStore.Finished(job.jobId(), state, state == JobStore.State.DONE ? command(job) : List.of());
  }

  /** The command the job sends. */
  private List<OutboxMessage> command(RetryJob job) {
    var now = clock.instant();
    if (job.kind() == JobKind.LEGACY_DEADLINE) {
      var cancelOn = job.dueAt().atZone(zone).toLocalDate();
      return List.of(messages.repaymentDeadlinePassed(job, cancelOn.minusDays(1), now));
    }
    return List.of(messages.chargeRequested(job, now));
  }
}
