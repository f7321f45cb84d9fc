package io.tsuzuku.billing.adapter.in.kafka;

import static io.tsuzuku.kit.Symbols.known;

import io.tsuzuku.billing.application.Charges;
import io.tsuzuku.billing.application.ContractBook;
import io.tsuzuku.billing.application.LedgerUpdates;
import io.tsuzuku.billing.application.Refunds;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.ChargeKind;
import io.tsuzuku.billing.domain.Cohort;
import io.tsuzuku.billing.domain.Ledger;
import io.tsuzuku.billing.domain.ContractStatus;
import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.events.ChargeRequested;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.PaymentMethodChangeRequested;
import io.tsuzuku.events.RefundSettled;
import io.tsuzuku.events.RepaymentDeadlinePassed;
import io.tsuzuku.events.RepaymentSubmitted;
import io.tsuzuku.events.RetriesExhausted;
import io.tsuzuku.events.RetryScheduled;
import io.tsuzuku.schemas.RecordRules;
import io.tsuzuku.schemas.RepaymentLinks;
import io.tsuzuku.schemas.SealedFields;
import io.tsuzuku.schemas.UnprocessableRecordException;

/**
 * Every record billing consumes, mapped and handed to its use case: the one way a record reaches
 * billing, whoever delivers it (the listeners). No decisions here.
 */
public final class BillingRecords {

  private final ContractBook book;
  private final Charges charges;
  private final Refunds refunds;
  private final SealedFields.Opener paymentMethods;

  private final RepaymentLinks.Verifier links;

  /**
   * @param paymentMethods billing's keys, which open the payment-method tokens sealed for it
   * @param links the status-service's public keys, which check the re-payment links' tokens
   */
  public BillingRecords(ContractBook book, Charges charges, Refunds refunds, SealedFields.Opener paymentMethods,
      RepaymentLinks.Verifier links) {
    this.paymentMethods = paymentMethods;
    this.links = links;
    this.book = book;
    this.charges = charges;
    this.refunds = refunds;
  }

  /**
   * The ledger update a registration or a status snapshot makes, in the trace given (it may be
   * null); null for any other record. A batch listener applies a poll's updates together.
   *
   * @throws UnprocessableRecordException for a registration whose token is not sealed for billing
   *     or does not open for its contract ({@link SealedFields}); {@link #handle} the same for a
   *     card change whose token does not open for the contract it was updated from
   */
  public LedgerUpdates.Update update(Object record, String traceParent) {
    if (record instanceof ContractRegistered r) {
      var header = r.getHeader();
      var token = openToken(r.getPaymentMethodToken(), header.getOrgId(), header.getContractId());
      return ContractBook.registration(BilledContract.registration(
          header.getContractId(), header.getOrgId(), known(Cohort.class, r.getCohort().name()),
          new BillingCalendar(known(BillingCalendar.Interval.class, r.getInterval().name()), r.getAnchorDay(),
              r.getFirstChargeOn().getMonthValue()),
          r.getAmountYen(), token, r.getFirstChargeOn()), traceParent);
    }
    if (record instanceof ContractStatusChanged changed) {
      return ContractBook.statusChange(changed.getHeader().getContractId(), changed.getHeader().getOrgId(),
          known(ContractStatus.class, changed.getTo().name()), changed.getVersion(), changed.getStatusSince(), traceParent);
    }
    return null;
  }

  /** @throws UnprocessableRecordException for a record type billing has no handling for */
  public void handle(Object record) {
    var update = update(record, null);
    if (update != null) {
      book.apply(update);
    } else if (record instanceof ChargeRequested requested) {
      charges.retryRequested(requested.getAttemptId(), requested.getHeader().getContractId(), requested.getHeader().getOrgId(),
          known(ChargeKind.class, requested.getKind().name()), requested.getRetryNumber(), requested.getPeriod(),
          requested.getHeader().getEventId());
    } else if (record instanceof RepaymentDeadlinePassed due) { // the retry-service's timer; the verdict is billing's
      charges.repaymentDeadlineDue(due.getHeader().getContractId(), due.getHeader().getOrgId(), due.getPeriod());
    } else if (record instanceof RefundSettled settled) {
      refunds.settled(settled.getHeader().getContractId(), settled.getHeader().getOrgId(), settled.getAttemptId());
    } else if (record instanceof RepaymentSubmitted repayment) {
      charges.repaymentSubmitted(repayment.getHeader().getEventId(), repayment.getHeader().getContractId(),
          repayment.getHeader().getOrgId(), repayment.getPeriod(), repayment.getPaymentMethodToken(),
          repayment.getLinkToken() == null ? null : new Ledger.LinkPresented(links.verify(repayment.getLinkToken()).orElse(null)));
    } else if (record instanceof PaymentMethodChangeRequested change) {
      var header = change.getHeader();
      charges.cardUpdated(header.getEventId(), header.getContractId(), header.getOrgId(), openToken(change.getPaymentMethodToken(),
          header.getOrgId(), change.getUpdatedFrom()), header.getOccurredAt());
    } else if (!(record instanceof RetryScheduled || record instanceof RetriesExhausted)) {
      // a retry planned or given up is the retry-service's: billing charges what is requested
      throw new UnprocessableRecordException("billing has no handling for record type " + record.getClass().getName());
    }
  }

  /** A card token sealed for billing, bound to the contract it was given for. */
  private String openToken(String sealed, String orgId, String contractId) {
    return RecordRules.requireId(SealedFields.PAYMENT_METHOD_TOKEN,
        paymentMethods.open(sealed, SealedFields.context(SealedFields.PAYMENT_METHOD_TOKEN, orgId, contractId)));
  }
}
