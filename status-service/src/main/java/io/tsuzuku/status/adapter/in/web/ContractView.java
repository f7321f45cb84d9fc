package io.tsuzuku.status.adapter.in.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.tsuzuku.status.application.ContractQueries.ContractDetails;
import io.tsuzuku.status.application.HistoryEntry;
import io.tsuzuku.status.domain.Supporter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One contract as the admin API shows it: what its row in the listing shows (the status code and
 * its label among it), and the rest of the contract with its history.
 */
record ContractView(
    @JsonUnwrapped ContractRow row,
    String orgId,
    Supporter supporter,
    LocalDate outstandingPeriod,
    int attemptsInPeriod,
    int repaymentRequestsSent,
    Instant paymentMethodUpdatedAt,
    String cancellationReason,
    List<HistoryLine> history) {

  /**
   * A line of the history as shown: what happened, who caused it, what it did; a payment's line
   * also says which charge it was ({@code path}: SCHEDULED, AUTO_RETRY, MANUAL_RETRY, SUPPORTER_REPAYMENT).
   */
  record HistoryLine(
      String eventId, Instant at, String event, String actor, String result, String from, String to, String reason, String path) {
    static HistoryLine of(HistoryEntry entry) {
      return new HistoryLine(
          entry.eventId(), entry.at(), entry.trigger(), entry.actor(), entry.result().name(),
          entry.from() == null ? null : entry.from().name(), entry.to() == null ? null : entry.to().name(),
          entry.reason(), entry.path());
    }
  }

  static ContractView of(ContractDetails details, StatusLabels labels) {
    var c = details.contract();
    return new ContractView(ContractRow.of(c, labels), c.orgId(), c.supporter(), c.outstandingPeriod(), c.attemptsInPeriod(),
        c.repaymentRequestsSent(), c.paymentMethodUpdatedAt(),
        c.cancellationReason(), details.history().stream().map(HistoryLine::of).toList());
  }
}
