package io.tsuzuku.status.adapter.in.web;

import static io.tsuzuku.security.CommonProblemResponses.offload;

import io.tsuzuku.status.application.ManualRetryReport;
import io.tsuzuku.status.application.RecoveryAnalysis;
import io.tsuzuku.status.application.RecoveryAnalytics;
import io.tsuzuku.status.application.RecoveryReport;
import io.tsuzuku.status.application.Reports;
import io.tsuzuku.status.application.Summary;
import io.tsuzuku.status.domain.Status;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
  private final RecoveryAnalysis analysis;
  private final StatusLabels labels;

  ReportsController(Reports reports, RecoveryAnalysis analysis, StatusLabels labels) {
    this.reports = reports;
    this.analysis = analysis;
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

  @GetMapping("/reports/recovery-analytics")
  Mono<RecoveryAnalytics> recoveryAnalytics(
      @PathVariable String orgId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @AuthenticationPrincipal Jwt token) {
    return forPeriod(orgId, from, to, token, analysis::analyse);
  }

  @GetMapping("/reports/recovery-analytics.csv")
  Mono<ResponseEntity<byte[]>> recoveryAnalyticsCsv(
      @PathVariable String orgId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @AuthenticationPrincipal Jwt token) {
    return forPeriod(orgId, from, to, token, analysis::analyse).map(analytics -> ResponseEntity.ok()
        .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
            .filename("recovery-" + orgId + "-" + analytics.from() + "-" + analytics.to() + ".csv").build().toString())
        .body(RecoveryAnalyticsCsv.render(analytics)));
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
