package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.BulkResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Bulk requests carrying an idempotency key, per organisation: the contracts each resolved, kept
 * before it acts, and its first answer once it has one.
 */
public interface IdempotencyStore {

  /**
   * A request seen before.
   *
   * @param contractIds the contracts it resolved (a filter's matches when it first ran)
   * @param result its answer; null while it runs, or when it died before answering
   */
  record Remembered(String fingerprint, List<String> contractIds, Instant begunAt, BulkResult result) {}

  Optional<Remembered> find(String orgId, String key);

  /** Keeps the contracts a request resolved, before it acts; false when the key was taken first. */
  boolean begin(String orgId, String key, String fingerprint, List<String> contractIds);

  /** Keeps the request's answer. */
  void complete(String orgId, String key, BulkResult result);

  /** Forgets a request that was refused before it acted (bad input changes nothing, its key included). */
  void forget(String orgId, String key);
}
