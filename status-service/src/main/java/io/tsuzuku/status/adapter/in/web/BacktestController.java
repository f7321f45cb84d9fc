package io.tsuzuku.status.adapter.in.web;

import static io.tsuzuku.security.CommonProblemResponses.offload;

import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.status.application.BacktestJob;
import io.tsuzuku.status.application.BacktestPolicy;
import io.tsuzuku.status.application.Backtests;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Policy backtests: started here, run in the background, read back by id (docs/admin-api.md). */
@RestController
@RequestMapping("/api/orgs/{orgId}/backtests")
class BacktestController {

  /**
   * A policy as the API takes it: {@code rule} RETRIES (the default: the product's 3 automatic
   * retries a week apart unless told otherwise) or DEADLINE (the old rule, nothing else to set).
   */
  record PolicyBody(
      String rule, Integer automaticRetries, Integer retryIntervalDays, Boolean retryHardDeclines, List<Integer> standingRetryDays,
      Integer cancelAfterMonthsInError) {

    BacktestPolicy policy() {
      var deadline = "DEADLINE".equals(rule);
      if (rule != null && !deadline && !"RETRIES".equals(rule)) {
        throw RequestRefused.invalid("INVALID_POLICY", "rule is RETRIES or DEADLINE, was '" + rule + "'");
      }
      if (deadline && (automaticRetries != null || retryIntervalDays != null || retryHardDeclines != null
          || standingRetryDays != null || cancelAfterMonthsInError != null)) {
        throw RequestRefused.invalid("INVALID_POLICY", "the DEADLINE rule has nothing else to set");
      }
      return new BacktestPolicy(deadline, automaticRetries == null ? (deadline ? 0 : 3) : automaticRetries,
          retryIntervalDays == null ? 7 : retryIntervalDays, Boolean.TRUE.equals(retryHardDeclines), standingRetryDays,
          cancelAfterMonthsInError);
    }
  }

  record BacktestBody(String from, String to, PolicyBody policy) {}

  private final Backtests backtests;

  BacktestController(Backtests backtests) {
    this.backtests = backtests;
  }

  @PostMapping
  Mono<ResponseEntity<BacktestJob>> start(
      @PathVariable String orgId, @RequestBody BacktestBody body, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    var from = AdminRequests.date(body.from(), "from");
    var to = AdminRequests.date(body.to(), "to");
    if (body.policy() == null) {
      throw RequestRefused.invalid("INVALID_POLICY", "policy is required");
    }
    var policy = body.policy().policy();
    return offload(() -> backtests.start(orgId, policy, from, to))
        .map(job -> ResponseEntity.accepted().location(URI.create("/api/orgs/" + orgId + "/backtests/" + job.id())).body(job));
  }

  @GetMapping("/{id}")
  Mono<BacktestJob> find(@PathVariable String orgId, @PathVariable String id, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    Identifiers.require(id);
    return offload(() -> backtests.find(orgId, id));
  }
}
