package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.RefundOwed;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The refunds billing requires, kept for the organisations' administrators; one per attempt. */
public interface RefundsOwed {

  /** Keeps the refund; the same attempt reported again changes nothing. */
  void record(RefundOwed refund);

  /** The refund of {@code attemptId} the organisation owes, if it owes one. */
  Optional<RefundOwed> find(String orgId, String attemptId);

  /** Billing issued the refund of {@code attemptId} at the processor. */
  void issued(String attemptId, Instant at, String refundReference);

  /** Billing's refund of {@code attemptId} failed at the processor: it is the administrators' to give back. */
  void failed(String attemptId, Instant at, String refundReference, String failure);

  /**
   * An administrator of {@code orgId} settled the refund of {@code attemptId} by hand; settling it
   * again keeps the first settlement. Empty when the organisation owes no such refund.
   */
  Optional<RefundOwed> settle(String orgId, String attemptId, Instant at, String by);

  /** The organisation's refunds, most recent charge first. */
  List<RefundOwed> ofOrganisation(String orgId);
}
