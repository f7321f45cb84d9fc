package io.tsuzuku.status.adapter.in.web;

import io.tsuzuku.status.application.ContractQueries.ContractDetails;
import io.tsuzuku.status.application.HistoryEntry;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.NextRetry;
import io.tsuzuku.status.domain.PendingManualRetry;
import io.tsuzuku.status.domain.Supporter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** One contract as the admin API shows it: the status code and its label, and its history. */
record ContractView(
    String contractId,
    String orgId,
    String status,
    String statusLabel,
    Instant statusSince,
    Instant errorSince,
    String cohort,
    long amountYen,
    Supporter supporter,
    Failure lastFailure,
    LocalDate outstandingPeriod,
    int attemptsInPeriod,
    NextRetry nextRetry,
    PendingManualRetry pendingManualRetry,
    LocalDate lastFinalNoticeOn,
    String cancellationReason,
    List<HistoryLine> history) {

  /** A line of the history as shown: what happened, who caused it, what it did. */
  record HistoryLine(
      String eventId, Instant at, String event, String actor, String result, String from, String to, String reason) {
    static HistoryLine of(HistoryEntry entry) {
      return new HistoryLine(
          entry.eventId(), entry.at(), entry.trigger(), entry.actor(), entry.result().name(),
          entry.from() == null ? null : entry.from().name(), entry.to() == null ? null : entry.to().name(),
          entry.reason());
    }
  }

  static ContractView of(ContractDetails details, StatusLabels labels) {
    var c = details.contract();
    return new ContractView(
        c.contractId(), c.orgId(), c.status().name(), labels.of(c.status()), c.statusSince(), c.errorSince(),
        c.cohort().name(), c.amountYen(), c.supporter(), c.lastFailure(), c.outstandingPeriod(),
        c.attemptsInPeriod(), c.nextRetry(), c.pendingManualRetry(), c.lastFinalNoticeOn(),
        c.cancellationReason(), details.history().stream().map(HistoryLine::of).toList());
  }
}
