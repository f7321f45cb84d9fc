package io.tsuzuku.status.adapter.out.kafka;

import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractStatus;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.Failure;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.NextRetry;
import io.tsuzuku.events.StatusChangeReason;
import io.tsuzuku.events.Supporter;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Status;

/** A contract as the full snapshot of {@code contract-status-changed}. */
final class StatusSnapshots {

  private StatusSnapshots() {}

  static ContractStatusChanged snapshot(
      Contract contract, Status from, StatusChangeReason reason, EventHeader header) {
    return ContractStatusChanged.newBuilder()
        .setHeader(header)
        .setFrom(from == null ? null : ContractStatus.valueOf(from.name()))
        .setTo(ContractStatus.valueOf(contract.status().name()))
        .setReason(reason)
        .setReasonDetail(contract.status() == Status.CANCELLED ? contract.cancellationReason() : null)
        .setStatusSince(contract.statusSince())
        .setErrorSince(contract.errorSince())
        .setCohort(Cohort.valueOf(contract.cohort().name()))
        .setAmountYen(contract.amountYen())
        .setLastFailure(failure(contract.lastFailure()))
        .setNextRetry(
            contract.nextRetry() == null ? null
                : NextRetry.newBuilder()
                    .setKind(ChargeKind.valueOf(contract.nextRetry().kind().name()))
                    .setRetryNumber(contract.nextRetry().number())
                    .setAt(contract.nextRetry().at())
                    .build())
        .setLastFinalNoticeOn(contract.lastFinalNoticeOn())
        .setLastRepaymentRequestOn(contract.lastRepaymentRequestOn())
        .setRepaymentRequestsSent(contract.repaymentRequestsSent())
        .setPaymentMethodUpdatedAt(contract.paymentMethodUpdatedAt())
        .setVersion(contract.version())
        .build();
  }

  static Failure failure(io.tsuzuku.status.domain.Failure failure) {
    if (failure == null) {
      return null;
    }
    return Failure.newBuilder()
        .setCode(failure.code())
        .setFailureClass(knownOr(failure.failureClass()))
        .setAt(failure.at())
        .build();
  }

  static Supporter supporter(io.tsuzuku.status.domain.Supporter supporter) {
    return Supporter.newBuilder()
        .setSupporterId(supporter.supporterId())
        .setName(supporter.name())
        .setEmail(supporter.email())
        .build();
  }

  private static FailureClass knownOr(String failureClass) {
    try {
      return FailureClass.valueOf(failureClass);
    } catch (IllegalArgumentException | NullPointerException unknown) {
      return FailureClass.UNKNOWN;
    }
  }
}
