package io.tsuzuku.retry.adapter.in.kafka;

import static io.tsuzuku.kit.Symbols.known;

import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.ManualRetryRequested;
import io.tsuzuku.events.ManualRetryWithdrawn;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.retry.domain.Inputs;
import io.tsuzuku.retry.domain.ContractStatus;
import io.tsuzuku.retry.domain.ContractView;
import io.tsuzuku.retry.domain.FailureClass;

/** Maps the Avro records the retry service consumes to its inputs. No decisions here. */
final class InboundEvents {

  private InboundEvents() {}

  static Inputs.Registered registered(ContractRegistered r) {
    var interval = known(BillingCalendar.Interval.class, r.getInterval().name());
    return new Inputs.Registered(
        r.getHeader().getEventId(), r.getHeader().getContractId(), r.getHeader().getOrgId(),
        known(ContractView.Cohort.class, r.getCohort().name()),
        new BillingCalendar(interval, r.getAnchorDay(), r.getFirstChargeOn().getMonthValue()));
  }

  static Inputs.StatusChanged statusChanged(ContractStatusChanged c) {
    return new Inputs.StatusChanged(
        c.getHeader().getEventId(), c.getHeader().getContractId(), c.getHeader().getOrgId(),
        known(ContractView.Cohort.class, c.getCohort().name()), known(ContractStatus.class, c.getTo().name()));
  }

  static Inputs.PaymentFailed paymentFailed(PaymentFailed f) {
    return new Inputs.PaymentFailed(
        f.getHeader().getEventId(), f.getHeader().getContractId(), f.getHeader().getOrgId(),
        known(Inputs.ChargeKind.class, f.getKind().name()), f.getAttemptNumber(), f.getPeriod(),
        known(FailureClass.class, f.getFailureClass().name()), f.getFailureCode(), f.getHeader().getOccurredAt());
  }

  static Inputs.PaymentSucceeded paymentSucceeded(PaymentSucceeded s) {
    return new Inputs.PaymentSucceeded(s.getHeader().getEventId(), s.getHeader().getContractId(), s.getHeader().getOrgId(),
        s.getPeriod());
  }

  static Inputs.ManualRetryRequested manualRetryRequested(ManualRetryRequested r) {
    return new Inputs.ManualRetryRequested(
        r.getHeader().getEventId(), r.getHeader().getContractId(), r.getHeader().getOrgId(), r.getPeriod(), r.getRunAt());
  }

  static Inputs.ManualRetryWithdrawn manualRetryWithdrawn(ManualRetryWithdrawn w) {
    return new Inputs.ManualRetryWithdrawn(w.getHeader().getEventId(), w.getHeader().getContractId(), w.getHeader().getOrgId(),
        w.getRunAt());
  }

}
