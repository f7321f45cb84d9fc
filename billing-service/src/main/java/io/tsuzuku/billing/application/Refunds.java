package io.tsuzuku.billing.application;

import io.tsuzuku.billing.application.port.LedgerStore;
import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.RefundProgress;
import io.tsuzuku.billing.domain.Ledger;
import java.time.Clock;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back money that should not have been taken (docs/ledger.md, invariant 3), for the organisations whose
 * refund policy is automatic: every refund due is sent to the processor under a key of its own
 * (idempotent: a pass repeated after a crash refunds nothing twice); one the processor took but
 * has not finished is followed by its reference until it says how it ended; once it succeeded the
 * ledger publishes {@code RefundIssued}; one that failed stays owed and is left to the
 * administrators, who are told ({@code RefundFailed}). Other organisations' refunds stay listed for their administrators, who refund
 * them themselves.
 */
public final class Refunds {

  private static final Logger log = LoggerFactory.getLogger(Refunds.class);

  /** The contracts with refunds due one pass reads for an organisation. */
  public static final int BATCH_PER_ORGANISATION = 500;

  private final LedgerUpdates ledger;
  private final LedgerStore store;
  private final PaymentProcessor processor;
  private final Clock clock;
  private final Set<String> automatic;

  /** @param automatic the organisations whose refunds billing issues itself */
  public Refunds(LedgerUpdates ledger, LedgerStore store, PaymentProcessor processor, Clock clock, Set<String> automatic) {
    this.ledger = ledger;
    this.store = store;
    this.processor = processor;
    this.clock = clock;
    this.automatic = Set.copyOf(automatic);
  }

  /**
   * One pass over the refunds due of the automatic organisations, read per organisation and
   * bounded, so that no organisation's backlog (nor the refunds others settle by hand) keeps
   * another's from being issued; returns how many were issued.
   */
  public int issueDue() {
    int issued = 0;
    for (var orgId : automatic) {
      for (var contract : store.withRefundsDue(orgId, BATCH_PER_ORGANISATION)) {
        issued += issue(contract);
      }
    }
    return issued;
  }

  /**
   * An administrator settled the refund of {@code attemptId} by hand: it is due no more. One the
   * processor is refunding meanwhile is logged: the supporter may get the money twice.
   */
  public void settled(String contractId, String orgId, String attemptId) {
    ledger.update(contractId, stored -> {
      var contract = LedgerUpdates.registered(stored, contractId, orgId);
      contract.refundProgress(attemptId).filter(p -> !p.failed()).ifPresent(p -> log.error(
          "refund settled by hand while the processor refunds it contractId='{}' attempt={} refund='{}'",
          contractId, attemptId, p.refundReference()));
      return Ledger.refundSettled(contract, attemptId);
    });
  }

  private int issue(BilledContract contract) {
    int issued = 0;
    for (var due : contract.refundsDue()) {
      var progress = contract.refundProgress(due.attemptId());
      if (progress.filter(RefundProgress::failed).isPresent()) {
        continue; // the administrators refund it by hand
      }
      var refund = PaymentProcessor.Refund.of(due);
      var result = progress.isPresent()
          ? processor.refundOutcome(refund, progress.get().refundReference())
          : processor.refund(refund);
      var reference = progress.map(RefundProgress::refundReference).orElse(null);
      if (result instanceof PaymentProcessor.Result.Succeeded refunded) {
        ledger.update(due.contractId(),
            stored -> Ledger.refundIssued(stored.orElseThrow(), due.attemptId(), refunded.reference(), clock.instant()));
        issued++;
      } else if (result instanceof PaymentProcessor.Result.Pending pending) {
        ledger.update(due.contractId(), stored -> Ledger.refundPending(stored.orElseThrow(), due.attemptId(), pending.reference()));
      } else if (result instanceof PaymentProcessor.Result.Declined failed) {
        log.warn("refund failed at the processor, left to the administrators contractId='{}' attempt={} reason='{}'",
            due.contractId(), due.attemptId(), failed.code());
        ledger.update(due.contractId(), stored -> Ledger.refundFailed(stored.orElseThrow(), due.attemptId(), reference,
            failed.code() + (failed.message() == null ? "" : ": " + failed.message()), clock.instant()));
      } else {
        log.warn("refund not known yet, left for the next pass contractId='{}' attempt={} reason='{}'",
            due.contractId(), due.attemptId(), result);
      }
    }
    return issued;
  }
}
