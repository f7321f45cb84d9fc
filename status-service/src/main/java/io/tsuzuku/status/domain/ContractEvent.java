package io.tsuzuku.status.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Everything that can happen to a registered contract, as the domain sees it. Each carries the id
 * of the event that caused it (de-duplication), when it happened and who caused it.
 */
public sealed interface ContractEvent {

  String eventId();

  Instant occurredAt();

  Trigger trigger();

  /** Who caused it: the service that reports it, or the person an event of a person names. */
  default Actor actor() {
    return trigger().reportedBy();
  }

  /** The period the event is about, for the events that concern one. */
  default Optional<LocalDate> period() {
    return Optional.empty();
  }

  /** Billing's answer about one attempt: the attempt's period is the event's. */
  sealed interface AttemptOutcome extends ContractEvent {
    Attempt attempt();

    @Override
    default Optional<LocalDate> period() {
      return Optional.of(attempt().period());
    }
  }

  /** What is outstanding when the retries or the re-payment deadline are over: that period is the event's. */
  sealed interface Outstanding extends ContractEvent {
    LocalDate outstandingPeriod();

    @Override
    default Optional<LocalDate> period() {
      return Optional.of(outstandingPeriod());
    }
  }

  /** A charge attempt failed (scheduled, automatic retry, manual retry or supporter re-payment). */
  record PaymentFailed(
      String eventId, Instant occurredAt, Attempt attempt, long amountYen, Failure failure)
      implements AttemptOutcome {
    @Override
    public Trigger trigger() {
      return switch (attempt.kind()) {
        case SCHEDULED -> Trigger.SCHEDULED_CHARGE_FAILED;
        case AUTO_RETRY -> Trigger.AUTOMATIC_RETRY_FAILED;
        case MANUAL_RETRY -> Trigger.MANUAL_RETRY_FAILED;
        case SUPPORTER_REPAYMENT -> Trigger.REPAYMENT_FAILED;
      };
    }
  }

  /** A charge attempt succeeded: the period is paid. */
  record PaymentSucceeded(String eventId, Instant occurredAt, Attempt attempt, long amountYen)
      implements AttemptOutcome {
    @Override
    public Trigger trigger() {
      return Trigger.PAYMENT_SUCCEEDED;
    }
  }

  /**
   * The automatic retries of a current-cohort contract are over (the last failed, or the decline
   * allows none).
   *
   * @param lastFailure the failure that ended them (null from older writers): it may arrive before
   *     its own PaymentFailed, and a manual retry is judged by it meanwhile
   */
  record RetriesExhausted(String eventId, Instant occurredAt, LocalDate outstandingPeriod, Failure lastFailure)
      implements Outstanding {

    public RetriesExhausted(String eventId, Instant occurredAt, LocalDate outstandingPeriod) {
      this(eventId, occurredAt, outstandingPeriod, null);
    }

    @Override
    public Trigger trigger() {
      return Trigger.RETRIES_EXHAUSTED;
    }
  }

  /** Billing's verdict: a legacy contract was not re-paid by its deadline. */
  record RepaymentDeadlinePassed(String eventId, Instant occurredAt, LocalDate outstandingPeriod)
      implements Outstanding {
    @Override
    public Trigger trigger() {
      return Trigger.REPAYMENT_DEADLINE_PASSED;
    }
  }

  /** The retry scheduler planned the next attempt. */
  record RetryScheduled(
      String eventId, Instant occurredAt, ChargeKind kind, int retryNumber, LocalDate retryPeriod, Instant runAt)
      implements ContractEvent {
    @Override
    public Optional<LocalDate> period() {
      return Optional.of(retryPeriod);
    }

    @Override
    public Trigger trigger() {
      return Trigger.RETRY_SCHEDULED;
    }
  }

  /** An administrator or the supporter ends the contract. */
  record CancellationRequested(
      String eventId, Instant occurredAt, Actor actor, String reason) implements ContractEvent {
    @Override
    public Trigger trigger() {
      return actor.isAdministrator()
          ? Trigger.CANCELLED_BY_ADMINISTRATOR
          : Trigger.CANCELLED_BY_SUPPORTER;
    }
  }

  /** An administrator orders a manual retry on a date (replacing a pending one). */
  record ManualRetryRequested(
      String eventId, Instant occurredAt, Actor actor, LocalDate retryOn, Instant runAt)
      implements ContractEvent {
    @Override
    public Trigger trigger() {
      return Trigger.MANUAL_RETRY_REQUESTED;
    }
  }

  /** An administrator withdraws the pending manual retry. */
  record ManualRetryWithdrawn(String eventId, Instant occurredAt, Actor actor)
      implements ContractEvent {
    @Override
    public Trigger trigger() {
      return Trigger.MANUAL_RETRY_WITHDRAWN;
    }
  }

  /**
   * The organisation asks the supporter to re-pay the outstanding period (再決済依頼), through a
   * link that works until {@code expiresAt}.
   */
  record RepaymentRequested(String eventId, Instant occurredAt, Actor actor, LocalDate requestedOn, Instant expiresAt)
      implements ContractEvent {
    @Override
    public Trigger trigger() {
      return Trigger.REPAYMENT_REQUESTED;
    }
  }

  /**
   * The supporter gave a new card ({@code updateId}), from this contract or another of theirs
   * ({@code updatedFrom}): this contract takes it (docs/product.md, "One new card for every
   * contract"). The token is sealed for billing; this service cannot read it.
   */
  record PaymentMethodUpdated(String eventId, Instant occurredAt, String updateId, String updatedFrom, String sealedToken)
      implements ContractEvent {
    @Override
    public Actor actor() {
      return Actor.SUPPORTER;
    }

    @Override
    public Trigger trigger() {
      return Trigger.PAYMENT_METHOD_UPDATED;
    }
  }

  /** An administrator sends the final notice before cancellation. */
  record FinalNoticeSent(String eventId, Instant occurredAt, Actor actor, LocalDate noticeOn)
      implements ContractEvent {
    @Override
    public Trigger trigger() {
      return Trigger.FINAL_NOTICE_SENT;
    }
  }
}
