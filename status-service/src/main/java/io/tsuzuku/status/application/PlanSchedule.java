package io.tsuzuku.status.application;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.tsuzuku.security.RequestRefused;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/**
 * When a standing retry plan runs: once a month, on a day of the month (a day past the month's end
 * is its last day), on the month's last day, or on its n-th weekday, at a time of day in the
 * business zone (docs/admin-api.md, "Standing retry plans").
 *
 * @param day DAY_OF_MONTH only: 1–31
 * @param nth NTH_WEEKDAY only: 1–4
 * @param weekday NTH_WEEKDAY only
 * @param time the time of day, to the minute
 */
public record PlanSchedule(
    Kind kind, Integer day, Integer nth, DayOfWeek weekday, @JsonFormat(pattern = "HH:mm") LocalTime time) {

  public enum Kind {
    DAY_OF_MONTH,
    LAST_DAY,
    NTH_WEEKDAY
  }

  public PlanSchedule {
    check(kind != null, "schedule.kind is DAY_OF_MONTH, LAST_DAY or NTH_WEEKDAY");
    check(time != null && time.getSecond() == 0 && time.getNano() == 0, "schedule.time is HH:MM");
    check((kind == Kind.DAY_OF_MONTH) == (day != null) && (day == null || (day >= 1 && day <= 31)),
        "schedule.day is 1 to 31, for DAY_OF_MONTH only");
    check((kind == Kind.NTH_WEEKDAY) == (nth != null && weekday != null) && (nth == null || (nth >= 1 && nth <= 4))
            && (kind == Kind.NTH_WEEKDAY || (nth == null && weekday == null)),
        "schedule.nth (1 to 4) and schedule.weekday are for NTH_WEEKDAY only, and both needed there");
  }

  /** The plan's day in {@code month}. */
  public LocalDate dateIn(YearMonth month) {
    switch (kind) {
      case DAY_OF_MONTH:
        return month.atDay(Math.min(day, month.lengthOfMonth()));
      case LAST_DAY:
        return month.atEndOfMonth();
      default:
        return month.atDay(1).with(TemporalAdjusters.dayOfWeekInMonth(nth, weekday));
    }
  }

  /** The first run strictly after {@code after}. */
  public Instant nextAfter(Instant after, ZoneId zone) {
    var month = YearMonth.from(after.atZone(zone));
    for (; ; month = month.plusMonths(1)) {
      var run = dateIn(month).atTime(time).atZone(zone).toInstant();
      if (run.isAfter(after)) {
        return run;
      }
    }
  }

  static void check(boolean valid, String message) {
    if (!valid) {
      throw RequestRefused.invalid("INVALID_PLAN", message);
    }
  }
}
