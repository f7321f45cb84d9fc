package io.tsuzuku.billing.application;

import io.tsuzuku.billing.application.port.ContractBookStore;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.ChargeKind;
import java.time.ZoneId;

/**
 * Keeps the contract book: registrations, the latest status, a new card from a re-payment, and
 * the next charge date after each outcome (SPEC.md §3): the next anchor date after a paid
 * scheduled charge; nothing while a failed period is outstanding; the first anchor date strictly
 * after the day of payment once it is paid, however late.
 */
public final class ContractBook {

  private final ContractBookStore store;
  private final ZoneId zone;

  public ContractBook(ContractBookStore store, ZoneId zone) {
    this.store = store;
    this.zone = zone;
  }

  /** A registration; registering again changes nothing. */
  public void registered(BilledContract contract) {
    if (store.find(contract.contractId()).isEmpty()) {
      store.save(contract);
    }
  }

  public void statusChanged(String contractId, String status) {
    store.find(contractId).ifPresent(contract -> store.save(contract.withStatus(status)));
  }

  public void paymentMethodReplaced(String contractId, String token) {
    store.find(contractId).ifPresent(contract -> store.save(contract.withPaymentMethod(token)));
  }

  /** Moves the next charge date after an attempt's outcome. */
  public void attemptFinished(Attempt attempt) {
    store.find(attempt.contractId()).ifPresent(contract -> {
      var paidOn = attempt.finishedAt().atZone(zone).toLocalDate();
      switch (attempt.state()) {
        case SUCCEEDED -> store.save(attempt.kind() == ChargeKind.SCHEDULED
            ? contract.paidScheduled(attempt.period())
            : contract.recoveredOn(paidOn));
        case FAILED -> {
          if (attempt.kind() == ChargeKind.SCHEDULED) {
            store.save(contract.failedScheduled());
          }
        }
        case REFUSED, PENDING -> {
          // nothing was charged: the dates stay
        }
      }
    });
  }

  public java.util.Optional<BilledContract> find(String contractId) {
    return store.find(contractId);
  }
}
