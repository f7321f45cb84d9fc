package io.tsuzuku.status.adapter.in.web;

import io.tsuzuku.status.application.RefundOwed;
import io.tsuzuku.status.application.port.RefundsOwed;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The payments owed back to the organisation's supporters (SPEC.md §8.3), with their reasons. */
@RestController
class RefundsController {

  private final RefundsOwed refunds;

  RefundsController(RefundsOwed refunds) {
    this.refunds = refunds;
  }

  @GetMapping("/api/orgs/{orgId}/refunds-required")
  Mono<List<RefundOwed>> list(@PathVariable String orgId, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    return ContractController.offload(() -> refunds.ofOrganisation(orgId));
  }
}
