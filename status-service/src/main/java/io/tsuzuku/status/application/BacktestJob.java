package io.tsuzuku.status.application;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A backtest as it runs in the background: its question, how far it has read, and its answer.
 *
 * @param contractsRead contracts whose history has been replayed so far
 * @param updatedAt the last progress; a running job silent for long was lost with its instance
 * @param failure why it failed (FAILED only)
 */
public record BacktestJob(
    String id, String orgId, State state, LocalDate from, LocalDate to, BacktestPolicy policy, Instant createdAt,
    Instant updatedAt, long contractsRead, BacktestResult result, String failure) {

  public enum State {
    RUNNING,
    DONE,
    FAILED
  }

  BacktestJob progressed(long read, Instant now) {
    return new BacktestJob(id, orgId, state, from, to, policy, createdAt, now, read, null, null);
  }

  BacktestJob done(long read, BacktestResult answer, Instant now) {
    return new BacktestJob(id, orgId, State.DONE, from, to, policy, createdAt, now, read, answer, null);
  }

  BacktestJob failed(String why, Instant now) {
    return new BacktestJob(id, orgId, State.FAILED, from, to, policy, createdAt, now, contractsRead, null, why);
  }
}
