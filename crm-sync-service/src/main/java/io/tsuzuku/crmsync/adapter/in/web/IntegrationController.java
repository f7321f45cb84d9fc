package io.tsuzuku.crmsync.adapter.in.web;

import io.tsuzuku.crmsync.adapter.in.web.SettingsBodies.CheckView;
import io.tsuzuku.crmsync.adapter.in.web.SettingsBodies.ContractMirrorView;
import io.tsuzuku.crmsync.adapter.in.web.SettingsBodies.ModeBody;
import io.tsuzuku.crmsync.adapter.in.web.SettingsBodies.RejectionPage;
import io.tsuzuku.crmsync.adapter.in.web.SettingsBodies.ResendBody;
import io.tsuzuku.crmsync.adapter.in.web.SettingsBodies.Resent;
import io.tsuzuku.crmsync.adapter.in.web.SettingsBodies.SettingsView;
import io.tsuzuku.crmsync.application.ConnectionChecks;
import io.tsuzuku.crmsync.application.IntegrationSettings;
import io.tsuzuku.crmsync.application.RejectedRecords;
import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.security.CommonProblemResponses;
import io.tsuzuku.security.OrganisationClaim;
import java.util.concurrent.Callable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * An organisation's Salesforce integration: its settings, its sync's progress, its rejected
 * records. The token's {@code org} claim must name the organisation; another organisation's
 * integration is answered like a missing one. The MongoDB driver blocks, so store calls run on
 * the bounded elastic scheduler.
 */
@RestController
@RequestMapping("/api/orgs/{orgId}/salesforce")
class IntegrationController {

  private static final int MAX_PAGE = 500;

  private final IntegrationSettings settings;
  private final RejectedRecords rejected;
  private final ConnectionChecks checks;

  IntegrationController(IntegrationSettings settings, RejectedRecords rejected, ConnectionChecks checks) {
    this.settings = settings;
    this.rejected = rejected;
    this.checks = checks;
  }

  @GetMapping
  Mono<SettingsView> view(@PathVariable String orgId, @AuthenticationPrincipal Jwt token) {
    return offload(token, orgId, () -> SettingsView.of(settings.view(orgId)));
  }

  /** The body is {@link IntegrationSettings.Request}: the secret goes in, never out. */
  @PutMapping
  Mono<SettingsView> configure(
      @PathVariable String orgId, @RequestBody IntegrationSettings.Request body, @AuthenticationPrincipal Jwt token) {
    return offload(token, orgId, () -> SettingsView.of(settings.configure(orgId, body)));
  }

  /** The reconfiguration: LEGACY or RECONFIGURED values, everything else kept. */
  @PutMapping("/mode")
  Mono<SettingsView> switchMode(@PathVariable String orgId, @RequestBody ModeBody body, @AuthenticationPrincipal Jwt token) {
    return offload(token, orgId, () -> SettingsView.of(settings.switchMode(orgId, body.mode())));
  }

  /** Logs in and reads the mapped object with its fields now (one API call), writing nothing. */
  @PostMapping("/check")
  Mono<CheckView> check(@PathVariable String orgId, @AuthenticationPrincipal Jwt token) {
    return offload(token, orgId, () -> CheckView.of(checks.check(orgId)));
  }

  @GetMapping("/rejections")
  Mono<RejectionPage> rejections(
      @PathVariable String orgId,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      @AuthenticationPrincipal Jwt token) {
    var size = limit == null ? 100 : limit;
    if (size < 1 || size > MAX_PAGE) {
      throw new RequestRefused(RequestRefused.Kind.INVALID, "INVALID_LIMIT", "limit must be 1.." + MAX_PAGE);
    }
    return offload(token, orgId, () -> {
      var mapping = settings.organisation(orgId).mapping();
      var page = rejected.list(orgId, cursor, size);
      var items = page.stream().map(c -> ContractMirrorView.of(c, mapping.fields(c.state()))).toList();
      return new RejectionPage(items, page.size() == size ? page.get(page.size() - 1).contractId() : null);
    });
  }

  /** Sends rejected records again now: the listed ones, or all when the body lists none. */
  @PostMapping("/rejections/resend")
  Mono<Resent> resend(@PathVariable String orgId, @RequestBody(required = false) ResendBody body, @AuthenticationPrincipal Jwt token) {
    return offload(token, orgId, () -> new Resent(rejected.resend(orgId, body == null ? null : body.contractIds())));
  }

  @GetMapping("/contracts/{contractId}")
  Mono<ContractMirrorView> contract(@PathVariable String orgId, @PathVariable String contractId, @AuthenticationPrincipal Jwt token) {
    return offload(token, orgId, () -> {
      var mapping = settings.organisation(orgId).mapping();
      var contract = rejected.contract(orgId, contractId);
      return ContractMirrorView.of(contract, mapping.fields(contract.state()));
    });
  }

  private static <T> Mono<T> offload(Jwt token, String orgId, Callable<T> work) {
    if (!OrganisationClaim.permits(token, orgId)) {
      return Mono.error(new RequestRefused(RequestRefused.Kind.NOT_FOUND, "SALESFORCE_NOT_CONFIGURED",
          "The organisation has no Salesforce integration."));
    }
    return CommonProblemResponses.offload(work);
  }
}
