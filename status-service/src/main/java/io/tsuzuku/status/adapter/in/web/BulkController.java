package io.tsuzuku.status.adapter.in.web;

import static io.tsuzuku.security.CommonProblemResponses.offload;

import io.tsuzuku.status.adapter.in.web.AdminRequests.BulkBody;
import io.tsuzuku.status.application.BulkOperations;
import io.tsuzuku.status.application.ContractListing;
import io.tsuzuku.status.application.BulkResult;
import io.tsuzuku.status.application.IdempotentRequests;
import io.tsuzuku.status.application.Selection;
import io.tsuzuku.status.domain.Actor;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The bulk operations: manual retries on a date, final notices, cancellations. Each answers per
 * contract, can be a dry run, and honours {@code Idempotency-Key}.
 */
@RestController
@RequestMapping("/api/orgs/{orgId}")
class BulkController {

  /** The answer of a bulk call: the count per outcome and the outcome per contract. */
  record BulkResponse(boolean dryRun, Map<BulkResult.Outcome, Long> summary, java.util.List<BulkResult.Item> items) {
    static BulkResponse of(BulkResult result) {
      return new BulkResponse(result.dryRun(), result.summary(), result.items());
    }
  }

  private final BulkOperations operations;
  private final ContractListing listing;
  private final IdempotentRequests idempotent;

  BulkController(BulkOperations operations, ContractListing listing, IdempotentRequests idempotent) {
    this.operations = operations;
    this.listing = listing;
    this.idempotent = idempotent;
  }

  @PostMapping("/manual-retries")
  Mono<BulkResponse> manualRetries(
      @PathVariable String orgId,
      @RequestBody BulkBody body,
      @RequestHeader(name = "Idempotency-Key", required = false) String key,
      @AuthenticationPrincipal Jwt token) {
    return bulk("manual-retries", orgId, body, key, token, (selection, requestId) -> {
      var retryOn = AdminRequests.date(body.retryOn(), "retryOn");
      return operations.manualRetries(orgId, selection, retryOn, body.isDryRun(), actor(token), requestId);
    });
  }

  @PostMapping("/final-notices")
  Mono<BulkResponse> finalNotices(
      @PathVariable String orgId,
      @RequestBody BulkBody body,
      @RequestHeader(name = "Idempotency-Key", required = false) String key,
      @AuthenticationPrincipal Jwt token) {
    return bulk("final-notices", orgId, body, key, token, (selection, requestId) ->
        operations.finalNotices(orgId, selection, body.isDryRun(), actor(token), requestId));
  }

  @PostMapping("/cancellations")
  Mono<BulkResponse> cancellations(
      @PathVariable String orgId,
      @RequestBody BulkBody body,
      @RequestHeader(name = "Idempotency-Key", required = false) String key,
      @AuthenticationPrincipal Jwt token) {
    return bulk("cancellations", orgId, body, key, token, (selection, requestId) ->
        operations.cancellations(orgId, selection, body.reason(), body.isDryRun(), actor(token), requestId));
  }

  private Mono<BulkResponse> bulk(String operation, String orgId, BulkBody body, String key, Jwt token,
      BiFunction<Selection, String, BulkResult> request) {
    OrganisationAccess.require(token, orgId);
    var fingerprint = operation + " " + body;
    return offload(() -> {
      var selection = AdminRequests.selection(body, listing);
      // a random id reads the system's entropy source, which may block: not on the event loop
      var requestId = key == null ? UUID.randomUUID().toString() : "key:" + key;
      return BulkResponse.of(idempotent.run(orgId, key, fingerprint, body.isDryRun(), selection,
          chosen -> request.apply(chosen, requestId)));
    });
  }

  private static Actor actor(Jwt token) {
    return Actor.administrator(token.getSubject());
  }
}
