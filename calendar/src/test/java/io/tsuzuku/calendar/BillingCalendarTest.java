package io.tsuzuku.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.calendar.BillingCalendar.Interval;
import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BillingCalendarTest {

  @ParameterizedTest(name = "{0} anchor {1}/{2}, after {3} → {4}")
  @CsvSource({
    "MONTHLY, 31, 1, 2027-01-31, 2027-02-28", // non-leap February: its last day
    "MONTHLY, 31, 1, 2028-01-31, 2028-02-29", // leap February
    "MONTHLY, 31, 1, 2027-02-28, 2027-03-31", // back to the 31st after a short month
    "MONTHLY, 30, 1, 2027-01-30, 2027-02-28",
    "MONTHLY, 15, 1, 2027-01-14, 2027-01-15", // the same month when its anchor is still ahead
    "MONTHLY, 15, 1, 2027-01-15, 2027-02-15", // strictly after
    "MONTHLY, 31, 1, 2027-12-31, 2028-01-31",
    "YEARLY, 29, 2, 2028-02-29, 2029-02-28",  // yearly on 29 February, a non-leap year next
    "YEARLY, 29, 2, 2031-02-28, 2032-02-29",  // and back in the next leap year
    "YEARLY, 10, 6, 2027-06-10, 2028-06-10",
    "YEARLY, 10, 6, 2027-03-01, 2027-06-10"
  })
  void theNextChargeDateIsTheFirstAnchorDateStrictlyAfterTheDay(
      Interval interval, int anchorDay, int anchorMonth, LocalDate after, LocalDate expected) {
    assertThat(new BillingCalendar(interval, anchorDay, anchorMonth).nextChargeDateAfter(after)).isEqualTo(expected);
  }
}
