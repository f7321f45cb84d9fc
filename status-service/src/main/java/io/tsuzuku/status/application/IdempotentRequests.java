package io.tsuzuku.status.application;

import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.security.RequestRefused.Kind;
import io.tsuzuku.status.application.port.IdempotencyStore;
import io.tsuzuku.status.domain.Contract;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * Bulk requests with an {@code Idempotency-Key} (docs/admin-api.md): the contracts a request is
 * about are remembered with its key before it acts (a filter's matches as resolved then), and its
 * answer once it has one. The same key and body return the first answer without acting again; a
 * request that died between acting and answering runs again on exactly the contracts it resolved
 * (its contract events' ids come from the key, so what it did already is not done twice), never on
 * what matches the filter now. The same key with another body is refused, and so is a key whose
 * answer is older than its lifetime: it is not evaluated again.
 */
public final class IdempotentRequests {

  /** How long a key is refused after its answer's lifetime, before it is forgotten. */
  public static final Duration REFUSED_FOR = Duration.ofDays(90);

  private final IdempotencyStore store;
  private final ContractListing listing;
  private final Clock clock;
  private final Duration lifetime;

  /** @param lifetime how long a key's answer is given again */
  public IdempotentRequests(IdempotencyStore store, ContractListing listing, Clock clock, Duration lifetime) {
    this.store = store;
    this.listing = listing;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /** Runs {@code request} on the selection, or answers as the key's first request did. */
  public BulkResult run(String orgId, String key, String fingerprint, boolean dryRun, Selection selection,
      Function<Selection, BulkResult> request) {
    if (key == null || dryRun) {
      return request.apply(selection);
    }
    if (key.isBlank() || key.length() > 200) {
      throw new RequestRefused(Kind.INVALID, "INVALID_IDEMPOTENCY_KEY", "an Idempotency-Key has 1 to 200 characters");
    }
    var seen = store.find(orgId, key);
    if (seen.isEmpty()) {
      var resolved = resolve(orgId, selection);
      if (store.begin(orgId, key, fingerprint, resolved.contractIds())) {
        return answer(orgId, key, selection instanceof Selection.Matching ? resolved : selection, request, true);
      }
      seen = store.find(orgId, key); // an identical request came first
    }
    var first = seen.orElseThrow();
    if (!first.fingerprint().equals(fingerprint)) {
      throw new RequestRefused(Kind.UNPROCESSABLE, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for another request");
    }
    if (!first.begunAt().plus(lifetime).isAfter(clock.instant())) {
      throw new RequestRefused(Kind.UNPROCESSABLE, "IDEMPOTENCY_KEY_EXPIRED",
          "this Idempotency-Key was used on " + first.begunAt() + " and its answer is no longer kept: send a new key to act again");
    }
    return first.result() != null ? first.result()
        : answer(orgId, key, new Selection.Resolved(first.contractIds()), request, false);
  }

  private BulkResult answer(String orgId, String key, Selection selection, Function<Selection, BulkResult> request,
      boolean begunHere) {
    BulkResult result;
    try {
      result = request.apply(selection);
    } catch (RequestRefused refused) {
      if (begunHere) {
        store.forget(orgId, key); // refused before acting: the key stays free
      }
      throw refused;
    }
    store.complete(orgId, key, result);
    return result;
  }

  /** The contracts the selection names now: listed ids as given, a filter's matches. */
  private Selection.Resolved resolve(String orgId, Selection selection) {
    if (selection instanceof Selection.Ids ids) {
      return new Selection.Resolved(ids.contractIds());
    }
    if (selection instanceof Selection.Resolved resolved) {
      return resolved;
    }
    return new Selection.Resolved(
        listing.all(orgId, ((Selection.Matching) selection).filter()).stream().map(Contract::contractId).toList());
  }
}
