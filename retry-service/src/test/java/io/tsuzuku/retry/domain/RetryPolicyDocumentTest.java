package io.tsuzuku.retry.domain;

import io.tsuzuku.calendar.BillingCalendar.Interval;
import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.testkit.GeneratedDocs;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** docs/retry-policy.md shows the schedule the default policy and the calendar really produce. */
class RetryPolicyDocumentTest {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  static String render() {
    var policy = RetryPolicy.DEFAULT;
    var out = new StringBuilder();
    out.append("## Default policy\n\n| setting | value |\n|---|---|\n")
        .append("| automatic retries | ").append(policy.count()).append(" |\n")
        .append("| interval | ").append(policy.interval()).append(" |\n")
        .append("| time of day | ").append(policy.timeOfDay()).append(" Asia/Tokyo |\n")
        .append("| after a hard decline (a new card is needed) | ")
        .append(policy.hasRetryAfter(0, FailureClass.HARD_DECLINE) ? "the schedule" : "no automatic retry: `RetriesExhausted`")
        .append(" |\n");
    var failureDay = LocalDate.of(2027, 2, 1);
    out.append("\n## Automatic retries after a scheduled charge failed on ").append(failureDay).append("\n\n")
        .append("| retry | runs at (Asia/Tokyo) | when it fails |\n|---|---|---|\n");
    for (int number = 1; number <= policy.count(); number++) {
      out.append("| ").append(number).append(" | ")
          .append(SHOWN.format(policy.retryAt(failureDay, number, TOKYO).atZone(TOKYO))).append(" | ")
          .append(policy.hasRetryAfter(number, FailureClass.SOFT_DECLINE) ? "the next retry is scheduled" : "`RetriesExhausted`: ERROR")
          .append(" |\n");
    }
    out.append("\n## Legacy re-payment deadlines\n\n")
        .append("| calendar | failed period | re-payment accepted until | cancelled on |\n|---|---|---|---|\n");
    legacy(out, new BillingCalendar(Interval.MONTHLY, 31, 1), LocalDate.of(2027, 1, 31));
    legacy(out, new BillingCalendar(Interval.MONTHLY, 31, 1), LocalDate.of(2028, 1, 31));
    legacy(out, new BillingCalendar(Interval.MONTHLY, 15, 1), LocalDate.of(2027, 3, 15));
    legacy(out, new BillingCalendar(Interval.YEARLY, 29, 2), LocalDate.of(2028, 2, 29));
    return out.toString();
  }

  private static void legacy(StringBuilder out, BillingCalendar calendar, LocalDate period) {
    var cancelOn = calendar.nextChargeDateAfter(period);
    out.append("| ").append(calendar.interval()).append(", day ").append(calendar.anchorDay())
        .append(calendar.interval() == Interval.YEARLY ? " of month " + calendar.anchorMonth() : "")
        .append(" | ").append(period).append(" | ").append(cancelOn.minusDays(1)).append(" | ").append(cancelOn).append(" |\n");
  }

  @Test
  void theDocumentedScheduleIsTheOneTheCodeProduces() {
    GeneratedDocs.assertUpToDate("retry-policy.md", RetryPolicyDocumentTest.class, render());
  }
}
