package io.tsuzuku.crmsync.application;

import io.tsuzuku.crmsync.application.port.MirrorStore;
import io.tsuzuku.crmsync.domain.ContractState;
import io.tsuzuku.kit.Traces;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps each contract's latest status snapshot. Stale and repeated snapshots change nothing. Once
 * an organisation has a batch's worth of new changes, the sync is told at once instead of waiting
 * for the linger.
 */
public final class StatusMirror {

  private final MirrorStore store;
  private final Clock clock;
  private final int batchSize;
  private final Runnable batchReady;
  private final Map<String, AtomicInteger> keptSinceReady = new ConcurrentHashMap<>();

  public StatusMirror(MirrorStore store, Clock clock, int batchSize, Runnable batchReady) {
    this.store = store;
    this.clock = clock;
    this.batchSize = batchSize;
    this.batchReady = batchReady;
  }

  /**
   * Keeps the state if newer, with the trace current while its snapshot is handled (the record
   * listener's): the Salesforce write of that state joins the contract's trace.
   */
  public void statusChanged(ContractState state) {
    if (store.keepLatest(state, Traces.current(), clock.instant())) {
      kept(state.orgId());
    }
  }

  /**
   * Keeps a poll's states, each if newer, together; each state's Salesforce write joins the trace
   * it came in.
   *
   * @throws io.tsuzuku.kit.BatchFailedAt naming the first state that names another organisation
   *     than its contract's
   */
  public void statusChangedAll(List<MirrorStore.Incoming> states) {
    var kept = store.keepAllLatest(states, clock.instant());
    for (int i = 0; i < kept.size(); i++) {
      if (kept.get(i)) {
        kept(states.get(i).state().orgId());
      }
    }
  }

  private void kept(String orgId) {
    var kept = keptSinceReady.computeIfAbsent(orgId, org -> new AtomicInteger());
    if (kept.incrementAndGet() >= batchSize) {
      kept.set(0);
      batchReady.run();
    }
  }
}
