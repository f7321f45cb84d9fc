package io.tsuzuku.status.application;

import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.security.RequestRefused.Kind;
import io.tsuzuku.status.application.BacktestJob.State;
import io.tsuzuku.status.application.port.BacktestJobs;
import io.tsuzuku.status.application.port.FailureHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policy backtests (docs/admin-api.md): each runs in the background on the instance that took it,
 * one at a time per organisation, reading only that organisation's history, and tells its progress
 * as it goes. The instance says every {@link #HEARTBEAT_EVERY} that the jobs it holds (waiting or
 * running) are alive; a job whose instance stopped is reported failed once it has been silent for
 * {@link #SILENT_FOR}, and the organisation may start another.
 */
public final class Backtests {

  private static final Logger log = LoggerFactory.getLogger(Backtests.class);

  /** How long a running job may go unheard of before it counts as lost. */
  public static final Duration SILENT_FOR = Duration.ofMinutes(2);
  /** How often the instance tells that its jobs are alive. */
  public static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(30);
  /** Progress is saved at most this often. */
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

  private final FailureHistory history;
  private final BacktestJobs jobs;
  private final Executor executor;
  private final AdminPolicy admin;
  private final Clock clock;
  /** The jobs this instance holds, waiting or running: id to organisation. */
  private final Map<String, String> held = new ConcurrentHashMap<>();

  public Backtests(FailureHistory history, BacktestJobs jobs, Executor executor, AdminPolicy admin, Clock clock) {
    this.history = history;
    this.jobs = jobs;
    this.executor = executor;
    this.admin = admin;
    this.clock = clock;
  }

  public BacktestJob start(String orgId, BacktestPolicy policy, LocalDate from, LocalDate to) {
    Reports.checked(from, to);
    var now = clock.instant();
    var job = new BacktestJob(UUID.randomUUID().toString(), orgId, State.RUNNING, from, to, policy, now, now, 0, null, null);
    if (!jobs.claim(orgId, job.id(), now, now.minus(SILENT_FOR))) {
      throw new RequestRefused(Kind.CONFLICT, "BACKTEST_RUNNING",
          "a backtest of this organisation is running: wait for it to finish, then start another");
    }
    held.put(job.id(), orgId);
    try {
      jobs.save(job);
      executor.execute(() -> run(job));
    } catch (RejectedExecutionException busy) {
      let(job);
      jobs.save(job.failed("not started: too many backtests are waiting", clock.instant()));
      throw new RequestRefused(Kind.CONFLICT, "BACKTESTS_BUSY", "too many backtests are waiting: start it again later");
    } catch (RuntimeException failed) {
      let(job);
      throw failed;
    }
    return job;
  }

  /** Tells that the jobs this instance holds are alive (a store that does not answer now is told next time). */
  public void heartbeat() {
    var now = clock.instant();
    held.forEach((id, orgId) -> {
      try {
        jobs.touch(orgId, id, now);
      } catch (RuntimeException unanswered) {
        log.warn("backtest heartbeat not saved orgId='{}' job='{}' reason='{}'", orgId, id, unanswered.toString());
      }
    });
  }

  /** Lets go of a job: no longer held, its organisation's slot free. */
  private void let(BacktestJob job) {
    held.remove(job.id());
    jobs.release(job.orgId(), job.id());
  }

  public BacktestJob find(String orgId, String id) {
    var job = jobs.find(orgId, id).orElseThrow(() -> new RequestRefused(Kind.NOT_FOUND, "BACKTEST_NOT_FOUND",
        "no backtest " + id + " of this organisation"));
    if (job.state() == State.RUNNING && job.updatedAt().isBefore(clock.instant().minus(SILENT_FOR))) {
      return job.failed("the instance running it stopped: start it again", job.updatedAt());
    }
    return job;
  }

  private void run(BacktestJob job) {
    try {
      var asOf = LocalDate.now(clock.withZone(admin.zone()));
      var backtest = new Backtest(job.policy(), job.from(), job.to(), asOf);
      var read = new long[1];
      var saved = new BacktestJob[] {job};
      history.eachContract(job.orgId(), job.from().atStartOfDay(admin.zone()).toInstant(), lines -> {
        FailureEpisode.of(lines, admin.zone()).forEach(backtest::add);
        read[0]++;
        var now = clock.instant();
        if (!now.isBefore(saved[0].updatedAt().plus(PROGRESS_EVERY))) {
          saved[0] = saved[0].progressed(read[0], now);
          jobs.save(saved[0]);
        }
      });
      jobs.save(job.done(read[0], backtest.result(), clock.instant()));
      log.info("backtest done orgId='{}' job='{}' contracts={} failures={}", job.orgId(), job.id(), read[0], backtest.failures());
    } catch (RuntimeException | Error e) {
      log.error("backtest failed orgId='{}' job='{}'", job.orgId(), job.id(), e);
      jobs.save(job.failed("the backtest failed: " + e.getMessage(), clock.instant()));
    } finally {
      let(job);
    }
  }
}
