package io.tsuzuku.billing.domain;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One charge attempt and what became of it. Its id is (contract, period, kind, number) and the
 * processor's idempotency key.
 */
public record Attempt(
    String attemptId,
    String contractId,
    String orgId,
    ChargeKind kind,
    int number,
    LocalDate period,
    long amountYen,
    String paymentMethodToken,
    State state,
    String reference,
    String failureCode,
    FailureClass failureClass,
    Instant createdAt,
    Instant finishedAt,
    String causeEventId,
    boolean legacyCohort) {

  /** The failure of an attempt the processor has no record of: it never reached the card. */
  public static final String NOT_CHARGED = "not_charged";

  public enum State {
    PENDING,
    SUCCEEDED,
    FAILED,
    REFUSED
  }

  public static Attempt pending(
      String attemptId, String contractId, String orgId, ChargeKind kind, int number, LocalDate period,
      long amountYen, String token, Instant at, String causeEventId, boolean legacyCohort) {
    return new Attempt(attemptId, contractId, orgId, kind, number, period, amountYen, token, State.PENDING, null, null, null, at, null,
        causeEventId, legacyCohort);
  }

  public Attempt succeeded(String processorReference, Instant at) {
    return new Attempt(attemptId, contractId, orgId, kind, number, period, amountYen, paymentMethodToken, State.SUCCEEDED,
        processorReference, null, null, createdAt, at, causeEventId, legacyCohort);
  }

  public Attempt failed(String code, FailureClass failureClass, Instant at) {
    var state = failureClass == FailureClass.REFUSED ? State.REFUSED : State.FAILED;
    return new Attempt(attemptId, contractId, orgId, kind, number, period, amountYen, paymentMethodToken, state,
        null, code, failureClass, createdAt, at, causeEventId, legacyCohort);
  }

  /** A charge the ledger refused: never recorded as an attempt, never sent to the processor. */
  public static Attempt refused(
      String attemptId, String contractId, String orgId, ChargeKind kind, int number, LocalDate period,
      long amountYen, Instant at, String causeEventId, String code) {
    return new Attempt(attemptId, contractId, orgId, kind, number, period, amountYen, null, State.REFUSED, null, code,
        FailureClass.REFUSED, at, at, causeEventId, false);
  }

  public boolean isFinished() {
    return state != State.PENDING;
  }
}
