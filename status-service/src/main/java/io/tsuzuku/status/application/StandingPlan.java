package io.tsuzuku.status.application;

import io.tsuzuku.status.domain.Status;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * An organisation's standing retry plan: on its day each month, every contract in ERROR that its
 * filter matches is retried, as if an administrator had ordered the manual retries in bulk that
 * morning (docs/admin-api.md, "Standing retry plans").
 *
 * @param nextRunAt when it runs next (kept while paused, recomputed on resuming)
 * @param lastRunOn the business date of its latest run or missed run, null before the first: a plan
 *     runs at most once a day, whatever its edits
 * @param version the stored version, for edits that must not overwrite each other
 */
public record StandingPlan(
    String planId,
    String orgId,
    String name,
    PlanSchedule schedule,
    Filter filter,
    boolean paused,
    Instant nextRunAt,
    LocalDate lastRunOn,
    String createdBy,
    Instant createdAt,
    long version) {

  /** The most plans an organisation may have. */
  public static final int MOST_PER_ORGANISATION = 20;

  /**
   * Which contracts in ERROR a run retries; every part is optional.
   *
   * @param minMonthsInError in ERROR for at least this many months at the run, 0–120
   * @param maxMonthsInError in ERROR for less than this many months at the run, 1–120, above the minimum
   * @param finalNoticeSent true: only those sent a final notice; false: only those not
   */
  public record Filter(Integer minMonthsInError, Integer maxMonthsInError, Boolean finalNoticeSent) {

    public static final Filter EVERY_ERROR = new Filter(null, null, null);

    public Filter {
      PlanSchedule.check(minMonthsInError == null || (minMonthsInError >= 0 && minMonthsInError <= 120),
          "filter.minMonthsInError is 0 to 120");
      PlanSchedule.check(maxMonthsInError == null || (maxMonthsInError >= 1 && maxMonthsInError <= 120
              && (minMonthsInError == null || maxMonthsInError > minMonthsInError)),
          "filter.maxMonthsInError is 1 to 120, above filter.minMonthsInError");
    }

    /** The contracts it matches at {@code at}. */
    public ContractFilter at(Instant at, ZoneId zone) {
      var then = at.atZone(zone); // stores keep milliseconds: "at least N months" includes exactly N
      return new ContractFilter(Status.ERROR,
          maxMonthsInError == null ? null : then.minusMonths(maxMonthsInError).toInstant().plusMillis(1),
          minMonthsInError == null ? null : then.minusMonths(minMonthsInError).toInstant().plusMillis(1),
          finalNoticeSent, null, null);
    }
  }

  public StandingPlan {
    PlanSchedule.check(name != null && !name.isBlank() && name.strip().length() <= 100, "name is 1 to 100 characters");
    PlanSchedule.check(schedule != null, "schedule is required");
    name = name.strip();
    filter = filter == null ? Filter.EVERY_ERROR : filter;
  }

  /**
   * When a plan with this schedule runs next, seen at {@code now}: never twice on one business
   * date, so an edit on the day of a run does not run it again that day.
   */
  public static Instant nextRun(PlanSchedule schedule, Instant now, LocalDate lastRunOn, ZoneId zone) {
    var after = now;
    if (lastRunOn != null) {
      var endOfLastRun = lastRunOn.plusDays(1).atStartOfDay(zone).toInstant().minusNanos(1);
      after = endOfLastRun.isAfter(now) ? endOfLastRun : now;
    }
    return schedule.nextAfter(after, zone);
  }
}
