package io.tsuzuku.status.application;

import io.tsuzuku.status.domain.Status;
import java.time.LocalDate;
import java.util.List;

/** How many contracts came back to ACTIVE, from which status, by which path, for how much. */
public record RecoveryReport(LocalDate from, LocalDate to, List<Row> rows, long contracts, long amountYen) {

  /** @param path AUTO_RETRY, MANUAL_RETRY, SUPPORTER_REPAYMENT (or SCHEDULED) */
  public record Row(Status recoveredFrom, String path, long contracts, long amountYen) {}
}
