package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.BacktestJob;
import java.time.Instant;
import java.util.Optional;

/**
 * Where backtests are kept, so that any instance answers for a job another runs, and the slot that
 * lets an organisation run one backtest at a time.
 */
public interface BacktestJobs {

  /**
   * Takes the organisation's slot for {@code jobId}: false while another job holds it and was heard
   * of after {@code staleBefore}.
   */
  boolean claim(String orgId, String jobId, Instant now, Instant staleBefore);

  /** Frees the slot if this job holds it. */
  void release(String orgId, String jobId);

  /** Saves the job (by id); a job never goes back from DONE or FAILED. */
  void save(BacktestJob job);

  /** The instance holding this job is alive: a RUNNING job (and its slot) heard of {@code now}. */
  void touch(String orgId, String jobId, Instant now);

  Optional<BacktestJob> find(String orgId, String jobId);
}
