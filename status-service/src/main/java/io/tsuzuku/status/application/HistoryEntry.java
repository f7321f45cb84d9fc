package io.tsuzuku.status.application;

import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Outcome;
import io.tsuzuku.status.domain.Status;
import java.time.Instant;

/**
 * One line of a contract's history: an event, who caused it, and what it did. Its id is the
 * contract and the event id, so recording it twice is recording it once. A failure (or the end of
 * the automatic retries) keeps its decline, and every line the contract's cohort and interval, for the recovery
 * analytics (docs/admin-api.md); lines written before they were kept have neither. {@code version}
 * is the contract's after the event: lines of one instant are read in the order the contract took
 * them (0 on lines written before it was kept).
 */
public record HistoryEntry(
    String id,
    String contractId,
    String orgId,
    String eventId,
    Instant at,
    String trigger,
    String actor,
    Outcome.Result result,
    Status from,
    Status to,
    String reason,
    long amountYen,
    String path,
    String declineCode,
    String declineClass,
    String cohort,
    String interval,
    long version) {

  /** The first line of every history: the registration. */
  public static HistoryEntry registered(io.tsuzuku.status.domain.Contract contract, String eventId) {
    return new HistoryEntry(
        contract.contractId() + ":" + eventId,
        contract.contractId(),
        contract.orgId(),
        eventId,
        contract.statusSince(),
        "REGISTERED",
        "donation-form",
        Outcome.Result.APPLIED,
        null,
        contract.status(),
        null,
        contract.amountYen(),
        null,
        null,
        null,
        contract.cohort().name(),
        contract.interval().name(),
        contract.version());
  }

  public static HistoryEntry of(Outcome outcome, Status from) {
    var event = outcome.event();
    var contract = outcome.contract();
    var path =
        event instanceof ContractEvent.PaymentSucceeded succeeded
            ? succeeded.attempt().kind().name()
            : null;
    Failure decline = null;
    if (event instanceof ContractEvent.PaymentFailed failed) {
      decline = failed.failure();
    } else if (event instanceof ContractEvent.RetriesExhausted exhausted) {
      decline = exhausted.lastFailure();
    }
    return new HistoryEntry(
        contract.contractId() + ":" + event.eventId(),
        contract.contractId(),
        contract.orgId(),
        event.eventId(),
        event.occurredAt(),
        event.trigger().name(),
        event.actor().name(),
        outcome.result(),
        from,
        contract.status(),
        outcome.reason(),
        contract.amountYen(),
        path,
        decline == null ? null : decline.code(),
        decline == null ? null : decline.failureClass(),
        contract.cohort().name(),
        contract.interval().name(),
        contract.version());
  }
}
