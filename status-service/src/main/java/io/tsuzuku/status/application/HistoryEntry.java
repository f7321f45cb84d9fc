package io.tsuzuku.status.application;

import io.tsuzuku.status.domain.Outcome;
import io.tsuzuku.status.domain.Status;
import java.time.Instant;

/**
 * One line of a contract's history: an event, who caused it, and what it did. Its id is the
 * contract and the event id, so recording it twice is recording it once.
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
    String path) {

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
        null);
  }

  public static HistoryEntry of(Outcome outcome, Status from) {
    var event = outcome.event();
    var contract = outcome.contract();
    var path =
        event instanceof io.tsuzuku.status.domain.ContractEvent.PaymentSucceeded succeeded
            ? succeeded.attempt().kind().name()
            : null;
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
        path);
  }
}
