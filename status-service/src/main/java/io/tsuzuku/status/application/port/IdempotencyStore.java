package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.BulkResult;
import java.util.Optional;

/** The first answer to each bulk request carrying an idempotency key, per organisation. */
public interface IdempotencyStore {

  /** A request seen before: the fingerprint of its body and the answer it got. */
  record Remembered(String fingerprint, BulkResult result) {}

  Optional<Remembered> find(String orgId, String key);

  /** Keeps the answer; false when another request with the same key was kept first. */
  boolean remember(String orgId, String key, String fingerprint, BulkResult result);
}
