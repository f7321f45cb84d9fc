package io.tsuzuku.status.adapter.in.web;

import io.tsuzuku.status.application.ContractQueries;
import io.tsuzuku.status.config.StatusLabels;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The administrators' view of their organisation's contracts. The MongoDB driver blocks, so every
 * store call runs on the bounded elastic scheduler, never on the event loop.
 */
@RestController
@RequestMapping("/api/orgs/{orgId}/contracts")
class ContractController {

  private final ContractQueries queries;
  private final StatusLabels labels;

  ContractController(ContractQueries queries, StatusLabels labels) {
    this.queries = queries;
    this.labels = labels;
  }

  @GetMapping("/{contractId}")
  Mono<ContractView> contract(
      @PathVariable String orgId, @PathVariable String contractId, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    Identifiers.require(contractId);
    return Mono.fromCallable(
            () ->
                queries.find(orgId, contractId)
                    .map(details -> ContractView.of(details, labels))
                    .orElseThrow(() -> new ContractNotFoundException(contractId)))
        .subscribeOn(Schedulers.boundedElastic());
  }
}
