package io.tsuzuku.billing.domain;

/** Why a charge attempt happens. */
public enum ChargeKind {
  SCHEDULED,
  AUTO_RETRY,
  MANUAL_RETRY,
  SUPPORTER_REPAYMENT;

  public boolean isRetry() {
    return this == AUTO_RETRY || this == MANUAL_RETRY;
  }
}
