package io.tsuzuku.billing.domain;

import java.time.LocalDate;

/** A charge attempt's identity, and the payment processor's idempotency key. */
public final class AttemptId {

  private AttemptId() {}

  /** (contract, period, kind, number): the same text the retry service uses for its jobs. */
  public static String of(String contractId, LocalDate period, ChargeKind kind, int number) {
    return contractId + ":" + period + ":" + kind + ":" + number;
  }
}
