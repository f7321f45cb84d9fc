package io.tsuzuku.retry.application;

import io.tsuzuku.retry.application.port.JobStore;
import io.tsuzuku.retry.application.port.RetryEventPublisher;
import io.tsuzuku.retry.application.port.ViewStore;
import io.tsuzuku.retry.domain.ContractStatus;
import io.tsuzuku.retry.domain.ContractView;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Runs the jobs that are due: each is claimed by exactly one instance (an atomic claim with a
 * lease), dispatched, and finished. The view's status lags behind (it travels on another topic):
 * an automatic retry or a deadline is skipped only for a cancelled contract, since a payment
 * withdraws its jobs and billing's ledger refuses a charge for a period no longer outstanding; a
 * view still showing ACTIVE may just not have read RETRYING yet. Jobs that fell
 * due while every instance was down run once when one returns, not once per missed tick; a job
 * whose instance died is claimed again when its lease runs out, and dispatched again under the
 * same attempt id, which billing recognises.
 */
public final class DueJobs {

  private final java.util.function.BiConsumer<RetryJob, JobStore.State> ran;
  private final JobStore jobs;
  private final ViewStore views;
  private final RetryEventPublisher events;
  private final Clock clock;
  private final Clock leaseClock;
  private final Duration lease;
  private final ZoneId zone;

  /** How many jobs one claim takes at most; each stays leased while the batch runs. */
  static final int BATCH = 100;

  /**
   * @param clock the business clock, which makes jobs due
   * @param leaseClock the machine's clock, which ends leases (a simulated business clock may run
   *     a day a second)
   */
  public DueJobs(
      JobStore jobs, ViewStore views, RetryEventPublisher events, Clock clock, Clock leaseClock, Duration lease, ZoneId zone) {
    this(jobs, views, events, clock, leaseClock, lease, zone, (job, state) -> {});
  }

  /** @param ran told of every job run, with what it came to (the service counts them) */
  public DueJobs(JobStore jobs, ViewStore views, RetryEventPublisher events, Clock clock, Clock leaseClock, Duration lease,
      ZoneId zone, java.util.function.BiConsumer<RetryJob, JobStore.State> ran) {
    this.ran = ran;
    this.jobs = jobs;
    this.views = views;
    this.events = events;
    this.clock = clock;
    this.leaseClock = leaseClock;
    this.lease = lease;
    this.zone = zone;
  }

  /**
   * Dispatches every job due now; returns how many were dispatched or skipped. A job is dispatched
   * only while a third of its lease is left (more than a publication's timeout), checked right
   * before the publication: otherwise the batch stops, and its rest is claimed again, by any
   * instance, once the lease ran out.
   */
  public int runDue(String owner) {
    int count = 0;
    while (true) {
      var claimedAt = leaseClock.instant();
      var until = claimedAt.plus(lease);
      var batch = jobs.claimDue(clock.instant(), owner, claimedAt, until, BATCH);
      if (batch.isEmpty()) {
        return count;
      }
      var stopAt = until.minus(lease.dividedBy(3));
      for (var job : batch) {
        var state = run(job, stopAt);
        if (state == null) {
          return count;
        }
        jobs.finish(job.jobId(), owner, state);
        this.ran.accept(job, state);
        count++;
      }
    }
  }

  /** What running the job came to; null when the lease is too near its end to dispatch it. */
  private JobStore.State run(RetryJob job, Instant stopAt) {
    var status = views.find(job.contractId()).map(ContractView::status).orElse(null);
    var skip = switch (job.kind()) {
      case AUTO_RETRY, LEGACY_DEADLINE -> status == ContractStatus.CANCELLED;
      case MANUAL_RETRY -> status != ContractStatus.ERROR; // recovered, cancelled or not in ERROR meanwhile
    };
    if (skip) {
      return JobStore.State.SKIPPED;
    }
    if (!leaseClock.instant().isBefore(stopAt)) {
      return null;
    }
    var now = clock.instant();
    if (job.kind() == JobKind.LEGACY_DEADLINE) {
      var cancelOn = job.dueAt().atZone(zone).toLocalDate();
      events.repaymentDeadlinePassed(job, cancelOn.minusDays(1), now);
    } else {
      events.chargeRequested(job, now);
    }
    return JobStore.State.DONE;
  }

}
