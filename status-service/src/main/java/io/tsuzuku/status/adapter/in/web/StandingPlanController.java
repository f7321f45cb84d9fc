package io.tsuzuku.status.adapter.in.web;

import static io.tsuzuku.security.CommonProblemResponses.offload;

import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.status.application.PlanRun;
import io.tsuzuku.status.application.PlanSchedule;
import io.tsuzuku.status.application.StandingPlan;
import io.tsuzuku.status.application.StandingRetries;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Standing retry plans: kept, previewed, and their runs read back (docs/admin-api.md). */
@RestController
@RequestMapping("/api/orgs/{orgId}/retry-plans")
class StandingPlanController {

  /** A schedule as the API takes it: {@code time} is HH:MM, {@code weekday} MONDAY … SUNDAY. */
  record ScheduleBody(String kind, Integer day, Integer nth, String weekday, String time) {
    PlanSchedule schedule() {
      return new PlanSchedule(value(PlanSchedule.Kind.class, kind, "schedule.kind"), day, nth,
          weekday == null ? null : value(DayOfWeek.class, weekday, "schedule.weekday"), timeOfDay(time));
    }
  }

  record FilterBody(Integer minMonthsInError, Integer maxMonthsInError, Boolean finalNoticeSent) {
    StandingPlan.Filter filter() {
      return new StandingPlan.Filter(minMonthsInError, maxMonthsInError, finalNoticeSent);
    }
  }

  /** A plan as an administrator sets it; without a filter it retries every contract in ERROR. */
  record PlanBody(String name, ScheduleBody schedule, FilterBody filter, Boolean paused) {
    PlanSchedule checkedSchedule() {
      if (schedule == null) {
        throw RequestRefused.invalid("INVALID_PLAN", "schedule is required");
      }
      return schedule.schedule();
    }

    StandingPlan.Filter checkedFilter() {
      return filter == null ? StandingPlan.Filter.EVERY_ERROR : filter.filter();
    }
  }

  /** A run and its result for each contract. */
  record RunDetail(PlanRun run, List<PlanRun.Result> results) {}

  private final StandingRetries plans;

  StandingPlanController(StandingRetries plans) {
    this.plans = plans;
  }

  @PostMapping
  Mono<ResponseEntity<StandingPlan>> create(@PathVariable String orgId, @RequestBody PlanBody body, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    var schedule = required(body).checkedSchedule();
    var filter = body.checkedFilter();
    return offload(() -> plans.create(orgId, body.name(), schedule, filter, Boolean.TRUE.equals(body.paused()), token.getSubject()))
        .map(plan -> ResponseEntity.created(URI.create("/api/orgs/" + orgId + "/retry-plans/" + plan.planId())).body(plan));
  }

  @GetMapping
  Mono<List<StandingPlan>> list(@PathVariable String orgId, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    return offload(() -> plans.list(orgId));
  }

  @GetMapping("/{planId}")
  Mono<StandingPlan> find(@PathVariable String orgId, @PathVariable String planId, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    Identifiers.require(planId);
    return offload(() -> plans.find(orgId, planId));
  }

  /** Replaces the plan's settings (pause and resume are {@code paused}; left out, it stays as it is). */
  @PutMapping("/{planId}")
  Mono<StandingPlan> update(
      @PathVariable String orgId, @PathVariable String planId, @RequestBody PlanBody body, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    Identifiers.require(planId);
    var schedule = required(body).checkedSchedule();
    var filter = body.checkedFilter();
    return offload(() -> plans.update(orgId, planId, body.name(), schedule, filter, body.paused()));
  }

  @DeleteMapping("/{planId}")
  Mono<ResponseEntity<Void>> delete(@PathVariable String orgId, @PathVariable String planId, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    Identifiers.require(planId);
    return offload(() -> {
      plans.delete(orgId, planId);
      return ResponseEntity.noContent().<Void>build();
    });
  }

  /** The dry run of the next run, as the contracts stand now. */
  @GetMapping("/{planId}/preview")
  Mono<StandingRetries.Preview> preview(@PathVariable String orgId, @PathVariable String planId, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    Identifiers.require(planId);
    return offload(() -> plans.preview(orgId, planId));
  }

  @GetMapping("/{planId}/runs")
  Mono<List<PlanRun>> runs(@PathVariable String orgId, @PathVariable String planId, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    Identifiers.require(planId);
    return offload(() -> plans.runs(orgId, planId));
  }

  @GetMapping("/{planId}/runs/{runOn}")
  Mono<RunDetail> run(
      @PathVariable String orgId, @PathVariable String planId, @PathVariable String runOn, @AuthenticationPrincipal Jwt token) {
    OrganisationAccess.require(token, orgId);
    Identifiers.require(planId);
    var day = AdminRequests.date(runOn, "runOn");
    return offload(() -> {
      var run = plans.run(orgId, planId, day);
      return new RunDetail(run.getKey(), run.getValue());
    });
  }

  private static PlanBody required(PlanBody body) {
    if (body == null) {
      throw RequestRefused.invalid("MALFORMED_REQUEST", "a JSON body is required");
    }
    return body;
  }

  private static <E extends Enum<E>> E value(Class<E> type, String text, String name) {
    try {
      return text == null ? null : Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw RequestRefused.invalid("INVALID_PLAN", name + " cannot be '" + text + "'");
    }
  }

  private static LocalTime timeOfDay(String text) {
    if (text == null || !text.matches("\\d{2}:\\d{2}")) {
      throw RequestRefused.invalid("INVALID_PLAN", "schedule.time is HH:MM, was '" + text + "'");
    }
    try {
      return LocalTime.parse(text);
    } catch (DateTimeParseException e) {
      throw RequestRefused.invalid("INVALID_PLAN", "schedule.time is HH:MM, was '" + text + "'");
    }
  }
}
