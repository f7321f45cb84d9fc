package io.tsuzuku.status.adapter.in.kafka;

import io.tsuzuku.events.ContractCancellationRequested;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentMethodUpdated;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.RefundFailed;
import io.tsuzuku.events.RefundIssued;
import io.tsuzuku.events.RefundRequired;
import io.tsuzuku.events.RepaymentDeadlineMissed;
import io.tsuzuku.events.RepaymentDeadlinePassed;
import io.tsuzuku.events.RetriesExhausted;
import io.tsuzuku.events.RetryScheduled;
import io.tsuzuku.status.application.BillingRefunds;
import io.tsuzuku.status.application.CardUpdates;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.status.application.ContractEvents.Inbound;
import io.tsuzuku.status.application.ContractEvents.Registration;
import io.tsuzuku.status.application.RefundOwed;
import io.tsuzuku.kit.BatchFailedAt;
import io.tsuzuku.status.domain.Supporter;
import io.tsuzuku.schemas.RecordRules;
import io.tsuzuku.schemas.SealedFields;
import io.tsuzuku.schemas.UnprocessableRecordException;
import java.util.List;

/**
 * Every record the status-service consumes, mapped ({@link InboundEvents}) and handed to its use
 * case: the one way a record reaches the service, whoever delivers it. The batch listeners apply
 * a poll's contract events together ({@link io.tsuzuku.kit.InboundBatch}); {@link #handle} applies one record.
 */
public final class StatusRecords {

  private final ContractEvents contracts;
  private final BillingRefunds refunds;
  private final CardUpdates cards;
  private final SealedFields.Opener supporters;

  /** @param supporters the status-service's keys, which open the supporters' contact details sealed for it */
  public StatusRecords(ContractEvents contracts, BillingRefunds refunds, CardUpdates cards, SealedFields.Opener supporters) {
    this.contracts = contracts;
    this.refunds = refunds;
    this.cards = cards;
    this.supporters = supporters;
  }

  /** Handles one record: a registration, an event of a contract, or a refund of billing's. */
  public void handle(Object record) {
    var registration = registration(record, null);
    var inbound = event(record, null);
    if (registration != null) {
      try {
        registerAll(List.of(registration));
      } catch (BatchFailedAt failed) {
        throw (RuntimeException) failed.getCause();
      }
    } else if (inbound != null) {
      contracts.apply(inbound.contractId(), inbound.orgId(), inbound.event());
    } else {
      other(record);
    }
  }

  /**
   * Registers contracts together ({@link ContractEvents#registerAll}); those stored, now or
   * before, then take their supporter's new card if it was given after them ({@link CardUpdates#registered}).
   *
   * @throws BatchFailedAt naming the registration that cannot be stored, once those before it are
   */
  public List<ContractEvents.Result> registerAll(List<Registration> registrations) {
    var stored = registrations.size();
    try {
      return contracts.registerAll(registrations);
    } catch (BatchFailedAt failed) {
      stored = failed.index();
      throw failed;
    } finally {
      cards.registered(registrations.subList(0, stored).stream().map(Registration::contract).toList());
    }
  }

  /**
   * The registration a record is, in the trace given; null for any other record.
   *
   * @throws UnprocessableRecordException for a registration whose supporter is not sealed for
   *     this service or does not open for its contract ({@link SealedFields})
   */
  public Registration registration(Object value, String traceParent) {
    if (!(value instanceof ContractRegistered registered)) {
      return null;
    }
    var header = registered.getHeader();
    var sealed = registered.getSupporter();
    var supporter = new Supporter(RecordRules.requireId(SealedFields.SUPPORTER_ID, open(sealed.getSupporterId(), SealedFields.SUPPORTER_ID, header)),
        open(sealed.getName(), SealedFields.SUPPORTER_NAME, header), open(sealed.getEmail(), SealedFields.SUPPORTER_EMAIL, header));
    return new Registration(InboundEvents.contract(registered, supporter), header.getEventId(), traceParent);
  }

  private String open(String sealed, String field, EventHeader header) {
    return supporters.open(sealed, SealedFields.context(field, header.getOrgId(), header.getContractId()));
  }

  /** The contract event a record is, in the trace given; null for a record that is none. */
  public static Inbound event(Object value, String traceParent) {
    if (value instanceof PaymentFailed failed) {
      var header = failed.getHeader();
      return new Inbound(header.getContractId(), header.getOrgId(), InboundEvents.paymentFailed(failed), traceParent);
    }
    if (value instanceof PaymentSucceeded succeeded) {
      var header = succeeded.getHeader();
      return new Inbound(header.getContractId(), header.getOrgId(), InboundEvents.paymentSucceeded(succeeded), traceParent);
    }
    if (value instanceof RepaymentDeadlineMissed missed) { // billing's verdict
      var header = missed.getHeader();
      return new Inbound(header.getContractId(), header.getOrgId(), InboundEvents.deadlineMissed(missed), traceParent);
    }
    if (value instanceof RetryScheduled scheduled) {
      var header = scheduled.getHeader();
      return new Inbound(header.getContractId(), header.getOrgId(), InboundEvents.retryScheduled(scheduled), traceParent);
    }
    if (value instanceof RetriesExhausted exhausted) {
      var header = exhausted.getHeader();
      return new Inbound(header.getContractId(), header.getOrgId(), InboundEvents.retriesExhausted(exhausted), traceParent);
    }
    if (value instanceof ContractCancellationRequested request) {
      var header = request.getHeader();
      return new Inbound(header.getContractId(), header.getOrgId(), InboundEvents.cancellation(request), traceParent);
    }
    return null;
  }

  /**
   * A record that is no contract event: a refund billing requires, issued or saw fail; a supporter's
   * new card, for every contract of theirs; the retry-service's deadline timer, which wakes billing,
   * whose verdict counts.
   *
   * @throws UnprocessableRecordException for a type the service has no handling for
   */
  public void other(Object value) {
    if (value instanceof RefundRequired refund) {
      var header = refund.getHeader();
      refunds.required(RefundOwed.required(refund.getAttemptId(), header.getContractId(), header.getOrgId(), refund.getPeriod(),
          refund.getAmountYen(), refund.getProcessorReference(), refund.getChargedAt(), refund.getReason(), header.getOccurredAt()));
    } else if (value instanceof RefundIssued issued) {
      var header = issued.getHeader();
      refunds.issued(header.getContractId(), header.getOrgId(), issued.getAttemptId(), header.getOccurredAt(),
          issued.getRefundReference());
    } else if (value instanceof RefundFailed failed) {
      var header = failed.getHeader();
      refunds.failed(header.getContractId(), header.getOrgId(), failed.getAttemptId(), header.getOccurredAt(),
          failed.getRefundReference(), failed.getFailure());
    } else if (value instanceof PaymentMethodUpdated update) { // the token stays sealed for billing
      var header = update.getHeader();
      cards.updated(header.getEventId(), header.getOrgId(), header.getContractId(), update.getPaymentMethodToken(),
          header.getOccurredAt());
    } else if (!(value instanceof RepaymentDeadlinePassed)) {
      throw new UnprocessableRecordException("the status-service has no handling for record type " + value.getClass().getName());
    }
  }
}
