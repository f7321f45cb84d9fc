package io.tsuzuku.status.adapter.in.web;

import io.tsuzuku.security.CommonProblemResponses;
import io.tsuzuku.status.application.RefundOwed;
import io.tsuzuku.status.application.BillingRefunds;
import io.tsuzuku.status.application.port.RefundsOwed;
import java.time.Clock;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The payments owed back to the organisation's supporters (docs/ledger.md, invariant 3), with their reasons; an
 * administrator marks one settled once it is refunded by hand.
 */
@RestController
@RequestMapping("/api/orgs/{orgId}/refunds-required")
class RefundsController {

  /** No refund of that attempt is owed by this organisation (or the token is for another one). */
  static class RefundNotFoundException extends RuntimeException {
    RefundNotFoundException() {
      super("no such refund");
    }
  }

  private final RefundsOwed refunds;
  private final BillingRefunds settlements;
  private final Clock clock;

  RefundsController(RefundsOwed refunds, BillingRefunds settlements, Clock clock) {
    this.refunds = refunds;
    this.settlements = settlements;
    this.clock = clock;
  }

  @GetMapping
  Mono<List<RefundOwed>> list(@PathVariable String orgId, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    return CommonProblemResponses.offload(() -> refunds.ofOrganisation(orgId));
  }

  /** Marks the refund settled (billing is told, and never refunds it); settling it again answers the first settlement. */
  @PostMapping("/{attemptId}/settlement")
  Mono<RefundOwed> settle(@PathVariable String orgId, @PathVariable String attemptId, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    return CommonProblemResponses.offload(() -> settlements.settle(orgId, attemptId, clock.instant(), token.getSubject())
        .orElseThrow(RefundNotFoundException::new));
  }
}
