package io.tsuzuku.status.adapter.in.kafka;

import static io.tsuzuku.kit.Symbols.known;

import io.tsuzuku.events.ContractCancellationRequested;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.Requester;
import io.tsuzuku.events.RepaymentDeadlineMissed;
import io.tsuzuku.events.RetriesExhausted;
import io.tsuzuku.events.RetryScheduled;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Attempt;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Interval;
import io.tsuzuku.status.domain.Supporter;

/** Maps the Avro records this service consumes to domain values. No decisions here. */
final class InboundEvents {

  private InboundEvents() {}

  /** The contract a registration makes, with its supporter as opened ({@link StatusRecords#registration}). */
  static Contract contract(ContractRegistered registered, Supporter supporter) {
    var header = registered.getHeader();
    return Contract.register(
        header.getContractId(),
        header.getOrgId(),
        known(Cohort.class, registered.getCohort().name()),
        supporter,
        registered.getAmountYen(),
        known(Interval.class, registered.getInterval().name()),
        header.getOccurredAt());
  }

  static ContractEvent.PaymentFailed paymentFailed(PaymentFailed failed) {
    var header = failed.getHeader();
    return new ContractEvent.PaymentFailed(
        header.getEventId(),
        header.getOccurredAt(),
        new Attempt(failed.getAttemptId(), failed.getPeriod(), kind(failed.getKind()), failed.getAttemptNumber()),
        failed.getAmountYen(),
        new Failure(failed.getFailureCode(), failed.getFailureClass().name(), header.getOccurredAt()));
  }

  static ContractEvent.PaymentSucceeded paymentSucceeded(PaymentSucceeded succeeded) {
    var header = succeeded.getHeader();
    return new ContractEvent.PaymentSucceeded(
        header.getEventId(),
        header.getOccurredAt(),
        new Attempt(succeeded.getAttemptId(), succeeded.getPeriod(), kind(succeeded.getKind()), succeeded.getAttemptNumber()),
        succeeded.getAmountYen());
  }

  static ContractEvent.RetriesExhausted retriesExhausted(RetriesExhausted exhausted) {
    var failure = exhausted.getLastFailure();
    return new ContractEvent.RetriesExhausted(
        exhausted.getHeader().getEventId(), exhausted.getHeader().getOccurredAt(), exhausted.getPeriod(),
        failure == null ? null : new Failure(failure.getCode(), failure.getFailureClass().name(), failure.getAt()));
  }

  static ContractEvent.RepaymentDeadlinePassed deadlineMissed(RepaymentDeadlineMissed missed) {
    return new ContractEvent.RepaymentDeadlinePassed(
        missed.getHeader().getEventId(), missed.getHeader().getOccurredAt(), missed.getPeriod());
  }

  static ContractEvent.RetryScheduled retryScheduled(RetryScheduled scheduled) {
    return new ContractEvent.RetryScheduled(
        scheduled.getHeader().getEventId(),
        scheduled.getHeader().getOccurredAt(),
        kind(scheduled.getKind()),
        scheduled.getRetryNumber(),
        scheduled.getPeriod(),
        scheduled.getRunAt());
  }

  static ContractEvent.CancellationRequested cancellation(ContractCancellationRequested request) {
    EventHeader header = request.getHeader();
    var actor =
        request.getRequestedBy() == Requester.ADMINISTRATOR
            ? Actor.administrator("donation-form administrator")
            : Actor.DONATION_FORM;
    return new ContractEvent.CancellationRequested(
        header.getEventId(), header.getOccurredAt(), actor, request.getReason());
  }

  private static ChargeKind kind(io.tsuzuku.events.ChargeKind kind) {
    return known(ChargeKind.class, kind.name());
  }

}
