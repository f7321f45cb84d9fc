package io.tsuzuku.status.application;

import io.tsuzuku.status.application.port.IdempotencyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Idempotency keys in memory, for the use-case tests, begun at the clock they are given. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

  private final Map<String, Remembered> requests = new HashMap<>();
  private final java.time.Clock clock;

  public InMemoryIdempotencyStore(java.time.Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Optional<Remembered> find(String orgId, String key) {
    return Optional.ofNullable(requests.get(orgId + ":" + key));
  }

  @Override
  public synchronized boolean begin(String orgId, String key, String fingerprint, List<String> contractIds) {
    return requests.putIfAbsent(orgId + ":" + key, new Remembered(fingerprint, List.copyOf(contractIds), clock.instant(), null)) == null;
  }

  @Override
  public synchronized void complete(String orgId, String key, BulkResult result) {
    requests.computeIfPresent(orgId + ":" + key, (k, r) -> new Remembered(r.fingerprint(), r.contractIds(), r.begunAt(), result));
  }

  @Override
  public synchronized void forget(String orgId, String key) {
    requests.remove(orgId + ":" + key);
  }
}
