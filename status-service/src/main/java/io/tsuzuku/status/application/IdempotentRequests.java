package io.tsuzuku.status.application;

import io.tsuzuku.status.application.AdminRequestException.Kind;
import io.tsuzuku.status.application.port.IdempotencyStore;
import java.util.function.Supplier;

/**
 * Bulk requests with an {@code Idempotency-Key}: the same key and body return the first answer
 * without acting again; the same key with another body is refused. Two identical requests racing
 * act once per contract anyway, since the contract events' ids come from the key.
 */
public final class IdempotentRequests {

  private final IdempotencyStore store;

  public IdempotentRequests(IdempotencyStore store) {
    this.store = store;
  }

  public BulkResult run(String orgId, String key, String fingerprint, boolean dryRun, Supplier<BulkResult> request) {
    if (key == null || dryRun) {
      return request.get();
    }
    if (key.isBlank() || key.length() > 200) {
      throw new AdminRequestException(Kind.INVALID, "INVALID_IDEMPOTENCY_KEY", "an Idempotency-Key has 1 to 200 characters");
    }
    var seen = store.find(orgId, key);
    if (seen.isPresent()) {
      return replay(seen.get(), fingerprint);
    }
    var result = request.get();
    if (!store.remember(orgId, key, fingerprint, result)) {
      return replay(store.find(orgId, key).orElseThrow(), fingerprint);
    }
    return result;
  }

  private static BulkResult replay(IdempotencyStore.Remembered seen, String fingerprint) {
    if (!seen.fingerprint().equals(fingerprint)) {
      throw new AdminRequestException(
          Kind.CONFLICT, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for another request");
    }
    return seen.result();
  }
}
