package io.tsuzuku.retry.adapter.in.kafka;

import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.ManualRetryRequested;
import io.tsuzuku.events.ManualRetryWithdrawn;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.RefundIssued;
import io.tsuzuku.events.RefundRequired;
import io.tsuzuku.events.RepaymentDeadlineMissed;
import io.tsuzuku.retry.application.RetryScheduling;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** The listeners of the retry service: one per consumed topic, one method per record type. */
final class RetryListeners {

  private RetryListeners() {}

  @Component
  static class ContractRegisteredListener {
    private final RetryScheduling scheduling;

    ContractRegisteredListener(RetryScheduling scheduling) {
      this.scheduling = scheduling;
    }

    @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_REGISTERED.name()}")
    void on(ContractRegistered registered) {
      scheduling.registered(InboundEvents.registered(registered));
    }
  }

  @Component
  static class StatusChangedListener {
    private final RetryScheduling scheduling;

    StatusChangedListener(RetryScheduling scheduling) {
      this.scheduling = scheduling;
    }

    @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_STATUS_CHANGED.name()}")
    void on(ContractStatusChanged changed) {
      scheduling.statusChanged(InboundEvents.statusChanged(changed));
    }
  }

  @Component
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).PAYMENT_OUTCOMES.name()}")
  static class PaymentOutcomesListener {
    private final RetryScheduling scheduling;

    PaymentOutcomesListener(RetryScheduling scheduling) {
      this.scheduling = scheduling;
    }

    @KafkaHandler
    void on(PaymentFailed failed) {
      scheduling.paymentFailed(InboundEvents.paymentFailed(failed));
    }

    /** A refund owed or issued changes no retry: the contract's status says what happens next. */
    @KafkaHandler
    void on(RefundRequired refund) {
      // nothing to schedule or withdraw
    }

    @KafkaHandler
    void on(RefundIssued refund) {
      // nothing to schedule or withdraw
    }

    /** Billing's verdict on a legacy deadline: the status-service's snapshot of it withdraws what is pending. */
    @KafkaHandler
    void on(RepaymentDeadlineMissed missed) {
      // nothing to schedule
    }

    @KafkaHandler
    void on(PaymentSucceeded succeeded) {
      scheduling.paymentSucceeded(InboundEvents.paymentSucceeded(succeeded));
    }
  }

  @Component
  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).MANUAL_RETRY_REQUESTED.name()}")
  static class ManualRetryListener {
    private final RetryScheduling scheduling;

    ManualRetryListener(RetryScheduling scheduling) {
      this.scheduling = scheduling;
    }

    @KafkaHandler
    void on(ManualRetryRequested requested) {
      scheduling.manualRetryRequested(InboundEvents.manualRetryRequested(requested));
    }

    @KafkaHandler
    void on(ManualRetryWithdrawn withdrawn) {
      scheduling.manualRetryWithdrawn(InboundEvents.manualRetryWithdrawn(withdrawn));
    }
  }
}
