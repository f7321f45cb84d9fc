package io.tsuzuku.status.adapter.in.web;

import static io.tsuzuku.security.CommonProblemResponses.offload;

import io.tsuzuku.status.adapter.in.web.AdminRequests.BulkBody;
import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.status.application.BulkOperations;
import io.tsuzuku.status.application.ContactBudget;
import io.tsuzuku.status.application.ContractListing;
import io.tsuzuku.status.application.BulkResult;
import io.tsuzuku.status.application.IdempotentRequests;
import io.tsuzuku.status.application.Selection;
import io.tsuzuku.status.domain.Actor;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The bulk operations: manual retries on a date, final notices, re-payment requests, cancellations.
 * Each answers per contract, can be a dry run, and honours {@code Idempotency-Key}. And the contact
 * policy the final notices and re-payment requests keep to.
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
  private final ContactBudget budget;

  BulkController(BulkOperations operations, ContractListing listing, IdempotentRequests idempotent, ContactBudget budget) {
    this.operations = operations;
    this.budget = budget;
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

  @PostMapping("/repayment-requests")
  Mono<BulkResponse> repaymentRequests(
      @PathVariable String orgId,
      @RequestBody BulkBody body,
      @RequestHeader(name = "Idempotency-Key", required = false) String key,
      @AuthenticationPrincipal Jwt token) {
    return bulk("repayment-requests", orgId, body, key, token, (selection, requestId) ->
        operations.repaymentRequests(orgId, selection, body.isDryRun(), actor(token), requestId));
  }

  /** The organisation's contact budget and quiet hours. */
  @GetMapping("/contact-policy")
  Mono<ContactPolicyBody> contactPolicy(@PathVariable String orgId, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    return offload(() -> ContactPolicyBody.of(budget.policy(orgId)));
  }

  @PutMapping("/contact-policy")
  Mono<ContactPolicyBody> setContactPolicy(@PathVariable String orgId, @RequestBody ContactPolicyBody body,
      @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    body.policy(false); // refused before anything is read
    return offload(() -> {
      // without requestOnFirstFailure (a client of the four first fields), the organisation's choice stays
      var policy = body.policy(budget.policy(orgId).requestOnFirstFailure());
      budget.set(orgId, policy);
      return ContactPolicyBody.of(policy);
    });
  }

  /** The contact policy as the API reads and writes it: times as HH:MM, Asia/Tokyo. */
  record ContactPolicyBody(Integer maxContacts, Integer windowDays, String quietFrom, String quietUntil, Boolean requestOnFirstFailure) {
    static ContactPolicyBody of(ContactBudget.Policy policy) {
      return new ContactPolicyBody(policy.maxContacts(), policy.windowDays(), policy.quietFrom().toString(),
          policy.quietUntil().toString(), policy.requestOnFirstFailure());
    }

    /** The policy this body sets; {@code requestOnFirstFailure} as {@code current} where the body leaves it out. */
    ContactBudget.Policy policy(boolean current) {
      if (maxContacts == null || windowDays == null) {
        throw RequestRefused.invalid("INVALID_CONTACT_POLICY", "maxContacts and windowDays are required");
      }
      return new ContactBudget.Policy(maxContacts, windowDays, time(quietFrom, "quietFrom"), time(quietUntil, "quietUntil"),
          requestOnFirstFailure == null ? current : requestOnFirstFailure);
    }

    private static LocalTime time(String text, String name) {
      try {
        return text == null ? null : LocalTime.parse(text);
      } catch (DateTimeParseException e) {
        throw RequestRefused.invalid("INVALID_CONTACT_POLICY", name + " is HH:MM");
      }
    }
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
