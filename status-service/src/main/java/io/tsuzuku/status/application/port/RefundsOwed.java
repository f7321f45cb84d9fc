package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.RefundOwed;
import java.util.List;

/** The refunds billing requires, kept for the organisations' administrators; one per attempt. */
public interface RefundsOwed {

  /** Keeps the refund; the same attempt reported again changes nothing. */
  void record(RefundOwed refund);

  /** Billing issued the refund of {@code attemptId} at the processor. */
  void issued(String attemptId, java.time.Instant at, String refundReference);

  /** The organisation's refunds, most recent charge first. */
  List<RefundOwed> ofOrganisation(String orgId);
}
