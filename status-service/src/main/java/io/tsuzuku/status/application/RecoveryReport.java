package io.tsuzuku.status.application;

import io.tsuzuku.status.domain.Status;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * How many contracts came back to ACTIVE, from which status, by which path, for how much; in all
 * and month by month.
 */
public record RecoveryReport(
    LocalDate from, LocalDate to, List<Row> rows, List<Month> months, long contracts, long amountYen) {

  /** @param path AUTO_RETRY, MANUAL_RETRY, SUPPORTER_REPAYMENT (or SCHEDULED) */
  public record Row(Status recoveredFrom, String path, long contracts, long amountYen) {}

  /** The recoveries of one month (Asia/Tokyo) by one path, from either status. */
  public record Month(YearMonth month, String path, long contracts, long amountYen) {}
}
