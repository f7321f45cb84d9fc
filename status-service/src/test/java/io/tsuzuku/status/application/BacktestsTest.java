package io.tsuzuku.status.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.status.application.BacktestJob.State;
import io.tsuzuku.status.application.port.BacktestJobs;
import io.tsuzuku.status.application.port.FailureHistory;
import io.tsuzuku.status.domain.Outcome.Result;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.testkit.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** Backtests as jobs: one at a time per organisation, their progress, their end, and a job whose instance stopped. */
class BacktestsTest {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final LocalDate FROM = LocalDate.of(2026, 10, 1);
  private static final LocalDate TO = LocalDate.of(2027, 2, 28);
  private static final BacktestPolicy POLICY = new BacktestPolicy(false, 3, 7, false, List.of(), null);

  private final MovableClock clock = new MovableClock(Instant.parse("2027-03-01T00:00:00Z"));
  private final InMemoryJobs jobs = new InMemoryJobs();
  private final List<Runnable> waiting = new ArrayList<>();
  private final List<String> orgsRead = new ArrayList<>();
  private FailureHistory history = (orgId, since, each) -> {
    orgsRead.add(orgId);
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(1));
      each.accept(List.of(
          line("c-" + i, orgId, "2026-11-02T01:00:00Z", Status.ACTIVE, Status.RETRYING, null),
          line("c-" + i, orgId, "2026-11-09T01:00:00Z", Status.RETRYING, Status.ACTIVE, "AUTO_RETRY")));
    }
  };
  private boolean refuseWork;

  private Backtests backtests() {
    return new Backtests((orgId, since, each) -> history.eachContract(orgId, since, each), jobs, task -> {
      if (refuseWork) {
        throw new RejectedExecutionException("full");
      }
      waiting.add(task);
    }, new AdminPolicy(TOKYO, Duration.ofDays(90), LocalTime.of(10, 0), Duration.ofDays(30), 5), clock);
  }

  @Test
  void aBacktestRunsInTheBackgroundReadingItsOrganisationOnlyAndEndsWithItsAnswer() {
    var backtests = backtests();
    var job = backtests.start("org-1", POLICY, FROM, TO);
    assertThat(backtests.find("org-1", job.id()).state()).isEqualTo(State.RUNNING);

    waiting.remove(0).run();

    var done = backtests.find("org-1", job.id());
    assertThat(done.state()).isEqualTo(State.DONE);
    assertThat(done.contractsRead()).isEqualTo(3);
    assertThat(done.result().failures()).isEqualTo(3);
    assertThat(done.result().replayed().recovered()).isEqualTo(3);
    assertThat(orgsRead).containsExactly("org-1");
    assertThat(jobs.progress).as("progress saved as it read, a second apart").containsExactly(1L, 2L, 3L);
    assertThatThrownBy(() -> backtests.find("org-2", job.id()))
        .isInstanceOf(RequestRefused.class).hasMessageContaining("no backtest");
  }

  @Test
  void anOrganisationRunsOneBacktestAtATimeAndAnotherOrganisationIsNotHeldUp() {
    var backtests = backtests();
    backtests.start("org-1", POLICY, FROM, TO);

    assertThatThrownBy(() -> backtests.start("org-1", POLICY, FROM, TO))
        .isInstanceOf(RequestRefused.class).extracting(e -> ((RequestRefused) e).code()).isEqualTo("BACKTEST_RUNNING");
    backtests.start("org-2", POLICY, FROM, TO);
    waiting.remove(0).run();
    assertThat(backtests.start("org-1", POLICY, FROM, TO).state()).isEqualTo(State.RUNNING);
  }

  @Test
  void aJobSilentForTwoMinutesWasLostWithItsInstanceAndTheOrganisationMayStartAnother() {
    var backtests = backtests();
    var lost = backtests.start("org-1", POLICY, FROM, TO);
    waiting.clear(); // its instance stopped

    clock.advance(Backtests.SILENT_FOR.plusSeconds(1));

    var found = backtests.find("org-1", lost.id());
    assertThat(found.state()).isEqualTo(State.FAILED);
    assertThat(found.failure()).contains("stopped");
    assertThat(backtests.start("org-1", POLICY, FROM, TO).state()).isEqualTo(State.RUNNING);
  }

  @Test
  void aJobWaitingForItsTurnIsKeptAliveByItsInstancesHeartbeatAndEndsDone() {
    var backtests = backtests();
    var waitingJob = backtests.start("org-1", POLICY, FROM, TO);
    for (int beat = 0; beat < 8; beat++) {
      clock.advance(Backtests.HEARTBEAT_EVERY);
      backtests.heartbeat();
    }

    assertThat(backtests.find("org-1", waitingJob.id()).state()).isEqualTo(State.RUNNING);
    assertThatThrownBy(() -> backtests.start("org-1", POLICY, FROM, TO)).isInstanceOf(RequestRefused.class);
    waiting.remove(0).run();
    assertThat(backtests.find("org-1", waitingJob.id()).state()).isEqualTo(State.DONE);
    backtests.heartbeat();
    assertThat(backtests.find("org-1", waitingJob.id()).state()).as("a job done is not touched again").isEqualTo(State.DONE);
  }

  @Test
  void aBacktestThatFailsSaysWhyAndFreesTheSlot() {
    history = (orgId, since, each) -> {
      throw new IllegalStateException("the store is gone");
    };
    var backtests = backtests();
    var job = backtests.start("org-1", POLICY, FROM, TO);
    waiting.remove(0).run();

    assertThat(backtests.find("org-1", job.id()).failure()).isEqualTo("the backtest failed: the store is gone");
    assertThat(backtests.start("org-1", POLICY, FROM, TO).state()).isEqualTo(State.RUNNING);
  }

  @Test
  void whenTooManyAreWaitingTheBacktestIsRefusedAndTheSlotFreed() {
    refuseWork = true;
    var backtests = backtests();
    assertThatThrownBy(() -> backtests.start("org-1", POLICY, FROM, TO))
        .isInstanceOf(RequestRefused.class).extracting(e -> ((RequestRefused) e).code()).isEqualTo("BACKTESTS_BUSY");
    refuseWork = false;
    assertThat(backtests.start("org-1", POLICY, FROM, TO).state()).isEqualTo(State.RUNNING);
  }

  private static HistoryEntry line(String contractId, String orgId, String at, Status from, Status to, String path) {
    return new HistoryEntry(contractId + at, contractId, orgId, "e", Instant.parse(at), "T", "billing-service", Result.APPLIED,
        from, to, null, 3000, path, "insufficient_funds", "SOFT_DECLINE", "CURRENT", "MONTHLY", 1);
  }

  /** The store's semantics: one slot per organisation, taken over once its holder was silent since the bound. */
  private static final class InMemoryJobs implements BacktestJobs {
    final Map<String, BacktestJob> jobs = new HashMap<>();
    final Map<String, String> slotHolder = new HashMap<>();
    final Map<String, Instant> slotHeard = new HashMap<>();
    final List<Long> progress = new ArrayList<>();

    @Override
    public boolean claim(String orgId, String jobId, Instant now, Instant staleBefore) {
      if (slotHolder.containsKey(orgId) && !slotHeard.get(orgId).isBefore(staleBefore)) {
        return false;
      }
      slotHolder.put(orgId, jobId);
      slotHeard.put(orgId, now);
      return true;
    }

    @Override
    public void release(String orgId, String jobId) {
      if (jobId.equals(slotHolder.get(orgId))) {
        slotHolder.remove(orgId);
      }
    }

    @Override
    public void save(BacktestJob job) {
      jobs.put(job.id(), job);
      if (job.state() == State.RUNNING && job.contractsRead() > 0) {
        progress.add(job.contractsRead());
        slotHeard.put(job.orgId(), job.updatedAt());
      }
    }

    @Override
    public void touch(String orgId, String jobId, Instant now) {
      var job = jobs.get(jobId);
      if (job != null && job.state() == State.RUNNING) {
        jobs.put(jobId, new BacktestJob(job.id(), job.orgId(), job.state(), job.from(), job.to(), job.policy(), job.createdAt(), now,
            job.contractsRead(), null, null));
      }
      if (jobId.equals(slotHolder.get(orgId))) {
        slotHeard.put(orgId, now);
      }
    }

    @Override
    public Optional<BacktestJob> find(String orgId, String jobId) {
      return Optional.ofNullable(jobs.get(jobId)).filter(j -> j.orgId().equals(orgId));
    }
  }
}
