package io.tsuzuku.status.adapter.in.web;

import static io.tsuzuku.security.CommonProblemResponses.offload;

import io.tsuzuku.status.adapter.in.web.AdminRequests.FilterBody;
import io.tsuzuku.status.application.BulkOperations;
import io.tsuzuku.status.application.ContractListing;
import io.tsuzuku.status.application.BulkResult;
import io.tsuzuku.status.application.ContractQueries;
import io.tsuzuku.status.domain.Actor;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The administrators' view of their organisation's contracts. The MongoDB driver blocks, so every
 * store call runs on the bounded elastic scheduler, never on the event loop.
 */
@RestController
@RequestMapping("/api/orgs/{orgId}/contracts")
class ContractController {

  private final ContractQueries queries;
  private final ContractListing listing;
  private final BulkOperations operations;
  private final StatusLabels labels;

  ContractController(ContractQueries queries, ContractListing listing, BulkOperations operations, StatusLabels labels) {
    this.queries = queries;
    this.listing = listing;
    this.operations = operations;
    this.labels = labels;
  }

  /** Query parameters: the filter's fields ({@code status}, {@code errorFor}, …), {@code limit}, {@code cursor}. */
  @GetMapping
  Mono<ContractRow.Page> list(
      @PathVariable String orgId,
      FilterBody filterParameters,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    var filter = AdminRequests.filter(filterParameters, listing);
    var size = AdminRequests.limit(limit);
    var afterId = AdminRequests.afterId(cursor);
    return offload(() -> {
      var page = listing.list(orgId, filter, size, afterId);
      return new ContractRow.Page(
          page.contracts().stream().map(c -> ContractRow.of(c, labels)).toList(),
          AdminRequests.cursor(page.nextAfterId()));
    });
  }

  @GetMapping("/export.csv")
  Mono<ResponseEntity<byte[]>> export(
      @PathVariable String orgId, FilterBody filterParameters, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    var filter = AdminRequests.filter(filterParameters, listing);
    return offload(() -> {
      var csv = SupporterCsv.render(listing.all(orgId, filter), labels, listing.zone());
      return ResponseEntity.ok()
          .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
          .header(HttpHeaders.CONTENT_DISPOSITION,
              ContentDisposition.attachment().filename("contracts-" + orgId + "-" + listing.today() + ".csv").build().toString())
          .body(csv);
    });
  }

  @GetMapping("/{contractId}")
  Mono<ContractView> contract(
      @PathVariable String orgId, @PathVariable String contractId, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    Identifiers.require(contractId);
    return offload(
        () ->
            queries.find(orgId, contractId)
                .map(details -> ContractView.of(details, labels))
                .orElseThrow(() -> new ContractNotFoundException(contractId)));
  }

  @DeleteMapping("/{contractId}/manual-retry")
  Mono<BulkResult.Item> withdrawManualRetry(
      @PathVariable String orgId, @PathVariable String contractId, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    Identifiers.require(contractId);
    return offload(() -> {
      var item =
          operations.withdrawManualRetry(orgId, contractId, Actor.administrator(token.getSubject()), UUID.randomUUID().toString())
              .items().get(0);
      if ("UNKNOWN_CONTRACT".equals(item.reason())) {
        throw new ContractNotFoundException(contractId);
      }
      return item;
    });
  }
}
