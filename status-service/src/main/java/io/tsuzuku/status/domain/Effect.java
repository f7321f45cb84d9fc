package io.tsuzuku.status.domain;

import java.time.Instant;
import java.time.LocalDate;

/** What other systems must learn from an applied event: the events the service publishes. */
public sealed interface Effect {

  /** The contract's snapshot changed (its status may stay the same). */
  record StatusChanged(Status from, Status to) implements Effect {}

  /** A manual retry was ordered for the outstanding period. */
  record ManualRetryOrdered(LocalDate retryOn, Instant runAt, LocalDate period, String requestedBy)
      implements Effect {}

  /** The pending manual retry due at {@code runAt} was withdrawn. */
  record ManualRetryWithdrawn(Actor.Kind by, String reason, Instant runAt) implements Effect {}

  /**
   * The supporter must get a re-payment request for {@code period}, its link working until
   * {@code expiresAt}; the link is the request's ({@code requestId}, its event id) and pays once.
   */
  record RepaymentRequestOrdered(String requestId, LocalDate period, Instant expiresAt, String requestedBy) implements Effect {}

  /**
   * Billing must take the supporter's new card for this contract ({@code updateId}: the supporter's
   * update, given from {@code updatedFrom}); the token is sealed for billing.
   */
  record PaymentMethodChangeOrdered(String updateId, String updatedFrom, String sealedToken) implements Effect {}

  /** The supporter must get the final notice. */
  record FinalNoticeOrdered(LocalDate noticeOn, String requestedBy) implements Effect {}
}
