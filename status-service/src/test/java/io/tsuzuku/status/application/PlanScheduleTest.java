package io.tsuzuku.status.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.security.RequestRefused;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PlanScheduleTest {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final LocalTime TEN = LocalTime.of(10, 0);

  @Test
  void aDayPastTheMonthsEndIsItsLastDay() {
    var thirtyFirst = new PlanSchedule(PlanSchedule.Kind.DAY_OF_MONTH, 31, null, null, TEN);

    assertThat(thirtyFirst.dateIn(YearMonth.of(2027, 2))).isEqualTo(LocalDate.of(2027, 2, 28));
    assertThat(thirtyFirst.dateIn(YearMonth.of(2028, 2))).isEqualTo(LocalDate.of(2028, 2, 29));
    assertThat(thirtyFirst.dateIn(YearMonth.of(2027, 4))).isEqualTo(LocalDate.of(2027, 4, 30));
    assertThat(thirtyFirst.dateIn(YearMonth.of(2027, 5))).isEqualTo(LocalDate.of(2027, 5, 31));
    assertThat(new PlanSchedule(PlanSchedule.Kind.LAST_DAY, null, null, null, TEN).dateIn(YearMonth.of(2027, 6)))
        .isEqualTo(LocalDate.of(2027, 6, 30));
  }

  @Test
  void theNthWeekdayOfTheMonth() {
    var secondFriday = new PlanSchedule(PlanSchedule.Kind.NTH_WEEKDAY, null, 2, DayOfWeek.FRIDAY, TEN);

    assertThat(secondFriday.dateIn(YearMonth.of(2027, 1))).isEqualTo(LocalDate.of(2027, 1, 8));
    assertThat(secondFriday.dateIn(YearMonth.of(2027, 10))).isEqualTo(LocalDate.of(2027, 10, 8));
    assertThat(new PlanSchedule(PlanSchedule.Kind.NTH_WEEKDAY, null, 4, DayOfWeek.MONDAY, TEN).dateIn(YearMonth.of(2027, 3)))
        .isEqualTo(LocalDate.of(2027, 3, 22));
  }

  @Test
  void theNextRunIsStrictlyAfterAndAtItsTimeInTokyo() {
    var the25th = new PlanSchedule(PlanSchedule.Kind.DAY_OF_MONTH, 25, null, null, LocalTime.of(9, 30));
    var runOn25th = tokyo(2027, 3, 25, 9, 30);

    assertThat(the25th.nextAfter(tokyo(2027, 3, 1, 0, 0), TOKYO)).isEqualTo(runOn25th);
    assertThat(the25th.nextAfter(runOn25th.minusSeconds(1), TOKYO)).isEqualTo(runOn25th);
    assertThat(the25th.nextAfter(runOn25th, TOKYO)).isEqualTo(tokyo(2027, 4, 25, 9, 30));
    assertThat(the25th.nextAfter(tokyo(2027, 12, 26, 0, 0), TOKYO)).isEqualTo(tokyo(2028, 1, 25, 9, 30));
  }

  /** An edit on the day of a run moves the run to a later hour: not again that day. */
  @Test
  void aPlanNeverRunsTwiceOnOneDate() {
    var at15 = new PlanSchedule(PlanSchedule.Kind.DAY_OF_MONTH, 5, null, null, LocalTime.of(15, 0));
    var after10 = tokyo(2027, 3, 5, 10, 1);

    assertThat(StandingPlan.nextRun(at15, after10, null, TOKYO)).isEqualTo(tokyo(2027, 3, 5, 15, 0));
    assertThat(StandingPlan.nextRun(at15, after10, LocalDate.of(2027, 3, 5), TOKYO)).isEqualTo(tokyo(2027, 4, 5, 15, 0));
    assertThat(StandingPlan.nextRun(at15, after10, LocalDate.of(2027, 2, 5), TOKYO)).isEqualTo(tokyo(2027, 3, 5, 15, 0));
  }

  @Test
  void aScheduleThatCannotBeIsRefused() {
    assertRefused(() -> new PlanSchedule(PlanSchedule.Kind.DAY_OF_MONTH, 32, null, null, TEN), "schedule.day");
    assertRefused(() -> new PlanSchedule(PlanSchedule.Kind.DAY_OF_MONTH, null, null, null, TEN), "schedule.day");
    assertRefused(() -> new PlanSchedule(PlanSchedule.Kind.LAST_DAY, 3, null, null, TEN), "schedule.day");
    assertRefused(() -> new PlanSchedule(PlanSchedule.Kind.NTH_WEEKDAY, null, 5, DayOfWeek.MONDAY, TEN), "schedule.nth");
    assertRefused(() -> new PlanSchedule(PlanSchedule.Kind.NTH_WEEKDAY, null, 1, null, TEN), "schedule.nth");
    assertRefused(() -> new PlanSchedule(PlanSchedule.Kind.LAST_DAY, null, null, DayOfWeek.MONDAY, TEN), "schedule.nth");
    assertRefused(() -> new PlanSchedule(PlanSchedule.Kind.LAST_DAY, null, null, null, LocalTime.of(10, 0, 30)), "schedule.time");
    assertRefused(() -> new StandingPlan.Filter(3, 3, null), "filter.maxMonthsInError");
    assertRefused(() -> new StandingPlan.Filter(-1, null, null), "filter.minMonthsInError");
  }

  private static void assertRefused(Runnable build, String naming) {
    assertThatThrownBy(build::run).isInstanceOfSatisfying(RequestRefused.class, refused -> {
      assertThat(refused.code()).isEqualTo("INVALID_PLAN");
      assertThat(refused.getMessage()).contains(naming);
    });
  }

  private static Instant tokyo(int year, int month, int day, int hour, int minute) {
    return LocalDateTime.of(year, month, day, hour, minute).atZone(TOKYO).toInstant();
  }
}
