package io.tsuzuku.schemas;

import java.time.LocalDate;

/**
 * The identity of a charge attempt, as {@code ChargeRequested}, {@code PaymentSucceeded},
 * {@code PaymentFailed} and {@code RefundRequired} carry it in {@code attemptId}: one per
 * (contract, period, kind, number), and the payment processor's idempotency key. Whoever asks for
 * the same attempt again uses the same id, so it is charged at most once.
 */
public final class AttemptIds {

  private AttemptIds() {}

  /**
   * @param kind the {@code ChargeKind} symbol ({@code SCHEDULED}, {@code AUTO_RETRY},
   *     {@code MANUAL_RETRY}, {@code SUPPORTER_REPAYMENT})
   * @param number the attempt's number within its kind and period (0 for the scheduled charge)
   */
  public static String of(String contractId, LocalDate period, String kind, int number) {
    return contractId + ":" + period + ":" + kind + ":" + number;
  }
}
