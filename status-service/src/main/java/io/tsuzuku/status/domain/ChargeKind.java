package io.tsuzuku.status.domain;

/** Why a charge attempt happened; also the path by which a contract recovered. */
public enum ChargeKind {
  SCHEDULED,
  AUTO_RETRY,
  MANUAL_RETRY,
  SUPPORTER_REPAYMENT
}
