package io.tsuzuku.status.adapter.in.web;

import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.NextRetry;
import io.tsuzuku.status.domain.PendingManualRetry;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A contract as a row of the listing: the status and its label, since when, the last failure, the next retry. */
record ContractRow(
    String contractId,
    String status,
    String statusLabel,
    Instant statusSince,
    Instant errorSince,
    String cohort,
    long amountYen,
    Failure lastFailure,
    NextRetry nextRetry,
    PendingManualRetry pendingManualRetry,
    LocalDate lastFinalNoticeOn,
    LocalDate lastRepaymentRequestOn) {

  /** A page of rows and the cursor of the next page (null on the last). */
  record Page(List<ContractRow> items, String nextCursor) {}

  static ContractRow of(Contract c, StatusLabels labels) {
    return new ContractRow(
        c.contractId(), c.status().name(), labels.of(c.status()), c.statusSince(), c.errorSince(),
        c.cohort().name(), c.amountYen(), c.lastFailure(), c.nextRetry(), c.pendingManualRetry(),
        c.lastFinalNoticeOn(), c.lastRepaymentRequestOn());
  }
}
