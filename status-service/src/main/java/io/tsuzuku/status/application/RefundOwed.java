package io.tsuzuku.status.application;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Money billing took that must go back (docs/ledger.md, invariant 3), as the organisation's administrators see it.
 *
 * @param reason billing's reason: charged_after_cancellation or period_already_paid
 * @param refundedAt when billing issued the refund at the processor (organisations whose refund
 *     policy is automatic); null while the administrators still have to refund it
 * @param settledAt when an administrator marked it settled (refunded by hand); null until then
 * @param settledBy who did
 * @param refundFailedAt when billing learned its refund failed at the processor: the
 *     administrators must refund it by hand; null while it has not failed
 * @param refundFailure why the processor failed it
 */
public record RefundOwed(
    String attemptId, String contractId, String orgId, LocalDate period, long amountYen, String processorReference,
    Instant chargedAt, String reason, Instant reportedAt, Instant refundedAt, String refundReference,
    Instant settledAt, String settledBy, Instant refundFailedAt, String refundFailure) {

  /** A refund billing reports as required, neither refunded nor settled yet. */
  public static RefundOwed required(
      String attemptId, String contractId, String orgId, LocalDate period, long amountYen, String processorReference,
      Instant chargedAt, String reason, Instant reportedAt) {
    return new RefundOwed(attemptId, contractId, orgId, period, amountYen, processorReference, chargedAt, reason,
        reportedAt, null, null, null, null, null, null);
  }
}
