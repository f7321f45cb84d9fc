package io.tsuzuku.status.adapter.in.web;

import static io.tsuzuku.security.CommonProblemResponses.offload;

import io.tsuzuku.status.application.ManualRetryReport;
import io.tsuzuku.status.application.RecoveryReport;
import io.tsuzuku.status.application.Reports;
import io.tsuzuku.status.application.Summary;
import io.tsuzuku.status.domain.Status;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The organisation as a whole: the summary at a glance, the reports and the status labels (docs/admin-api.md). */
@RestController
@RequestMapping("/api/orgs/{orgId}")
class ReportsController {

  private final Reports reports;
  private final StatusLabels labels;

  ReportsController(Reports reports, StatusLabels labels) {
    this.reports = reports;
    this.labels = labels;
  }

  /**
   * The label of each status, in the order of the statuses: the display text this deployment
   * configures, which the console shows wherever a status appears.
   */
  @GetMapping("/status-labels")
  Mono<Map<Status, String>> statusLabels(@PathVariable String orgId, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    var ordered = new LinkedHashMap<Status, String>();
    for (var status : Status.values()) {
      ordered.put(status, labels.of(status));
    }
    return Mono.just(ordered);
  }

  @GetMapping("/summary")
  Mono<Summary> summary(@PathVariable String orgId, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    return offload(() -> reports.summary(orgId));
  }

  @GetMapping("/reports/recovery")
  Mono<RecoveryReport> recovery(
      @PathVariable String orgId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @AuthenticationPrincipal Jwt token) {
    return forPeriod(orgId, from, to, token, reports::recovery);
  }

  @GetMapping("/reports/manual-retries")
  Mono<ManualRetryReport> manualRetries(
      @PathVariable String orgId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @AuthenticationPrincipal Jwt token) {
    return forPeriod(orgId, from, to, token, reports::manualRetries);
  }

  /** A report of the organisation over the dates {@code from} to {@code to}, inclusive. */
  @FunctionalInterface
  private interface PeriodReport<T> {
    T of(String orgId, LocalDate from, LocalDate to);
  }

  private static <T> Mono<T> forPeriod(String orgId, String from, String to, Jwt token, PeriodReport<T> report) {
    OrganisationAccess.require(token, orgId);
    var first = AdminRequests.date(from, "from");
    var last = AdminRequests.date(to, "to");
    return offload(() -> report.of(orgId, first, last));
  }
}
