package io.tsuzuku.retry.application;

import io.tsuzuku.retry.application.port.JobStore;
import io.tsuzuku.retry.application.port.RetryEventPublisher;
import io.tsuzuku.retry.application.port.ViewStore;
import io.tsuzuku.retry.domain.ContractStatus;
import io.tsuzuku.retry.domain.ContractView;
import io.tsuzuku.retry.domain.RetryJob;
import java.time.Clock;
import java.time.Duration;
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

  private final JobStore jobs;
  private final ViewStore views;
  private final RetryEventPublisher events;
  private final Clock clock;
  private final Duration lease;
  private final ZoneId zone;

  /** How many jobs one claim takes at most; each stays leased while the batch runs. */
  static final int BATCH = 100;

  public DueJobs(JobStore jobs, ViewStore views, RetryEventPublisher events, Clock clock, Duration lease, ZoneId zone) {
    this.jobs = jobs;
    this.views = views;
    this.events = events;
    this.clock = clock;
    this.lease = lease;
    this.zone = zone;
  }

  /** Dispatches every job due now; returns how many were dispatched or skipped. */
  public int runDue(String owner) {
    int ran = 0;
    for (var batch = jobs.claimDue(clock.instant(), owner, lease, BATCH); !batch.isEmpty();
        batch = jobs.claimDue(clock.instant(), owner, lease, BATCH)) {
      for (var job : batch) {
        jobs.finish(job.jobId(), owner, run(job));
        ran++;
      }
    }
    return ran;
  }

  private JobStore.State run(RetryJob job) {
    var status = views.find(job.contractId()).map(ContractView::status).orElse(null);
    var now = clock.instant();
    switch (job.kind()) {
      case AUTO_RETRY -> {
        if (status == ContractStatus.CANCELLED) {
          return JobStore.State.SKIPPED;
        }
        events.chargeRequested(job, now);
      }
      case MANUAL_RETRY -> {
        if (status != ContractStatus.ERROR) {
          return JobStore.State.SKIPPED; // recovered, cancelled or not in ERROR meanwhile
        }
        events.chargeRequested(job, now);
      }
      case LEGACY_DEADLINE -> {
        if (status == ContractStatus.CANCELLED) {
          return JobStore.State.SKIPPED;
        }
        var cancelOn = job.dueAt().atZone(zone).toLocalDate();
        events.repaymentDeadlinePassed(job, cancelOn.minusDays(1), now);
      }
    }
    return JobStore.State.DONE;
  }

}
