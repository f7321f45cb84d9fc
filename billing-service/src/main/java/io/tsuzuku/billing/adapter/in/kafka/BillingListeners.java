package io.tsuzuku.billing.adapter.in.kafka;

import static io.tsuzuku.kit.Symbols.known;

import io.tsuzuku.billing.application.Charges;
import io.tsuzuku.billing.application.ContractBook;
import io.tsuzuku.billing.application.Refunds;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.ChargeKind;
import io.tsuzuku.billing.domain.Cohort;
import io.tsuzuku.billing.domain.ContractStatus;
import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.events.ChargeRequested;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.RefundSettled;
import io.tsuzuku.events.RepaymentDeadlinePassed;
import io.tsuzuku.events.RepaymentSubmitted;
import io.tsuzuku.events.RetriesExhausted;
import io.tsuzuku.events.RetryScheduled;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Billing's listeners: one per consumed topic; each maps the record and calls one use case. */
final class BillingListeners {

  private BillingListeners() {}

  @Component
  static class ContractRegisteredListener {
    private final ContractBook book;

    ContractRegisteredListener(ContractBook book) {
      this.book = book;
    }

    @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_REGISTERED.name()}")
    void on(ContractRegistered r) {
      book.registered(BilledContract.registration(
          r.getHeader().getContractId(), r.getHeader().getOrgId(), known(Cohort.class, r.getCohort().name()),
          new BillingCalendar(known(BillingCalendar.Interval.class, r.getInterval().name()), r.getAnchorDay(), r.getFirstChargeOn().getMonthValue()),
          r.getAmountYen(), r.getPaymentMethodToken(), r.getFirstChargeOn()));
    }
  }

  @Component
  static class StatusChangedListener {
    private final ContractBook book;

    StatusChangedListener(ContractBook book) {
      this.book = book;
    }

    @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_STATUS_CHANGED.name()}")
    void on(ContractStatusChanged changed) {
      book.statusChanged(changed.getHeader().getContractId(), changed.getHeader().getOrgId(),
          known(ContractStatus.class, changed.getTo().name()), changed.getVersion(), changed.getStatusSince());
    }
  }

  @Component
  static class ChargeRequestedListener {
    private final Charges charges;

    ChargeRequestedListener(Charges charges) {
      this.charges = charges;
    }

    @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CHARGE_REQUESTED.name()}")
    void on(ChargeRequested requested) {
      charges.retryRequested(requested.getAttemptId(), requested.getHeader().getContractId(), requested.getHeader().getOrgId(),
          known(ChargeKind.class, requested.getKind().name()), requested.getRetryNumber(), requested.getPeriod(),
          requested.getHeader().getEventId());
    }
  }

  /** retry-events: the retry-service's timer says a legacy deadline is due; its plans are not billing's. */
  @Component
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).RETRY_EVENTS.name()}")
  static class RetryEventsListener {
    private final Charges charges;

    RetryEventsListener(Charges charges) {
      this.charges = charges;
    }

    @KafkaHandler
    void on(RepaymentDeadlinePassed due) {
      charges.repaymentDeadlineDue(due.getHeader().getContractId(), due.getHeader().getOrgId(), due.getPeriod());
    }

    @KafkaHandler
    void on(RetryScheduled scheduled) {
      // billing charges a retry when it is requested, not when it is planned
    }

    @KafkaHandler
    void on(RetriesExhausted exhausted) {
      // nothing to charge or decide
    }
  }

  @Component
  static class RefundSettlementsListener {
    private final Refunds refunds;

    RefundSettlementsListener(Refunds refunds) {
      this.refunds = refunds;
    }

    @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).REFUND_SETTLEMENTS.name()}")
    void on(RefundSettled settled) {
      refunds.settled(settled.getHeader().getContractId(), settled.getHeader().getOrgId(), settled.getAttemptId());
    }
  }

  @Component
  static class RepaymentSubmittedListener {
    private final Charges charges;

    RepaymentSubmittedListener(Charges charges) {
      this.charges = charges;
    }

    @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).REPAYMENT_SUBMITTED.name()}")
    void on(RepaymentSubmitted repayment) {
      charges.repaymentSubmitted(repayment.getHeader().getEventId(), repayment.getHeader().getContractId(),
          repayment.getHeader().getOrgId(), repayment.getPeriod(), repayment.getPaymentMethodToken());
    }
  }

}
