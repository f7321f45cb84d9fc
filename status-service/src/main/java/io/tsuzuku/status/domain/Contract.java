package io.tsuzuku.status.domain;

import io.tsuzuku.schemas.AttemptBudget;
import io.tsuzuku.schemas.DeclineRules;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A recurring contract as the status service keeps it: its status and everything an administrator
 * needs to decide what to do with it. Immutable; {@link #apply} answers what an event does.
 *
 * @param outstandingPeriod the failed period still unpaid; null while ACTIVE
 * @param lastPaidPeriod the latest period paid; a failure of it or an older one is stale
 * @param attemptsInPeriod charge attempts for the outstanding period
 * @param recentAttempts when the attempts of the last 30 days were made ({@link AttemptBudget})
 * @param lastRepaymentRequestOn the day of the last re-payment request sent to the supporter (null: none)
 * @param repaymentRequestsSent the re-payment requests sent for this contract, in all
 * @param paymentMethodUpdatedAt when the supporter last gave a new card for this contract (null: never)
 * @param version increases with every applied event
 */
public record Contract(
    String contractId,
    String orgId,
    Cohort cohort,
    Supporter supporter,
    long amountYen,
    Interval interval,
    Status status,
    Instant statusSince,
    Instant errorSince,
    Failure lastFailure,
    LocalDate outstandingPeriod,
    LocalDate lastPaidPeriod,
    int attemptsInPeriod,
    List<Instant> recentAttempts,
    NextRetry nextRetry,
    PendingManualRetry pendingManualRetry,
    LocalDate lastFinalNoticeOn,
    LocalDate lastRepaymentRequestOn,
    int repaymentRequestsSent,
    Instant paymentMethodUpdatedAt,
    String cancellationReason,
    long version) {

  public Contract {
    Objects.requireNonNull(contractId, "contractId");
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(status, "status");
    recentAttempts = List.copyOf(recentAttempts);
  }

  /** A newly registered monthly contract: ACTIVE from the moment of registration. */
  public static Contract register(
      String contractId, String orgId, Cohort cohort, Supporter supporter, long amountYen, Instant at) {
    return register(contractId, orgId, cohort, supporter, amountYen, Interval.MONTHLY, at);
  }

  /** A newly registered contract: ACTIVE from the moment of registration. */
  public static Contract register(
      String contractId, String orgId, Cohort cohort, Supporter supporter, long amountYen, Interval interval,
      Instant at) {
    return new Contract(
        contractId, orgId, cohort, supporter, amountYen, interval, Status.ACTIVE, at, null, null, null, null,
        0, List.of(), null, null, null, null, 0, null, null, 1);
  }

  /** The reason of a legacy contract's automatic cancellation on its re-payment deadline. */
  public static final String LEGACY_DEADLINE_CANCELLATION = "automatic cancellation of a legacy contract";

  /** What {@code event} does to this contract. */
  public Outcome apply(ContractEvent event) {
    var verdict = TransitionTable.decide(this, event);
    if (verdict instanceof TransitionTable.Verdict.Applies applies) {
      return applied(applies.rule().to(), event);
    }
    if (verdict instanceof TransitionTable.Verdict.NoEffect none) {
      if (event instanceof ContractEvent.PaymentFailed refused && ranThePendingManualRetry(refused)) {
        // billing refused it when it ran: it is pending no more; a refusal is no attempt, nothing else changes
        var next = with(b -> {
          b.pendingManualRetry = null;
          if (nextRetry != null && nextRetry.kind() == ChargeKind.MANUAL_RETRY) {
            b.nextRetry = null;
          }
        }).movedTo(status, event.occurredAt());
        return new Outcome(next, event, Outcome.Result.APPLIED, none.reason(), List.of(new Effect.StatusChanged(status, status)));
      }
      return Outcome.unchanged(this, event, Outcome.Result.NO_EFFECT, none.reason());
    }
    return Outcome.unchanged(
        this, event, Outcome.Result.REJECTED, ((TransitionTable.Verdict.Rejected) verdict).reason());
  }

  private boolean ranThePendingManualRetry(ContractEvent.PaymentFailed failed) {
    return failed.attempt().kind() == ChargeKind.MANUAL_RETRY && pendingManualRetry != null
        && !pendingManualRetry.runAt().isAfter(failed.occurredAt());
  }

  private Outcome applied(Status to, ContractEvent event) {
    var effects = new ArrayList<Effect>();
    var next = effectsOf(event, effects).movedTo(to, event.occurredAt());
    if (pendingManualRetry != null && next.pendingManualRetry == null
        && !(event instanceof ContractEvent.ManualRetryWithdrawn)
        && !(event instanceof ContractEvent.PaymentFailed)) {
      effects.add(new Effect.ManualRetryWithdrawn(Actor.Kind.SYSTEM, "the contract left ERROR", pendingManualRetry.runAt()));
    }
    effects.add(0, new Effect.StatusChanged(status, to));
    return new Outcome(next, event, Outcome.Result.APPLIED, null, List.copyOf(effects));
  }

  /** The contract after the event's own effects, before its status moves. */
  private Contract effectsOf(ContractEvent event, List<Effect> effects) {
    if (event instanceof ContractEvent.PaymentFailed failed) {
      var period = failed.attempt().period();
      var samePeriod = period.equals(outstandingPeriod);
      var ranNow = ranThePendingManualRetry(failed);
      if (pendingManualRetry != null && !ranNow && DeclineRules.requiresNewCard(failed.failure().failureClass())) {
        // the card was declined for good (a re-payment with it): the pending retry could only be refused
        effects.add(new Effect.ManualRetryWithdrawn(Actor.Kind.SYSTEM, "the card needs replacing", pendingManualRetry.runAt()));
      }
      return with(
          b -> {
            b.lastFailure = failed.failure();
            b.outstandingPeriod = period;
            b.attemptsInPeriod = samePeriod ? attemptsInPeriod + 1 : 1;
            b.recentAttempts = withAttempt(failed.occurredAt());
            if (nextRetry == null || !nextRetry.isAfter(failed.attempt())) {
              b.nextRetry = null;
            }
            // the manual retry that ran is no longer pending; one the administrator moved to a
            // later time meanwhile still is, unless the card can no longer be charged
            if (ranNow || DeclineRules.requiresNewCard(failed.failure().failureClass())) {
              b.pendingManualRetry = null;
            }
          });
    }
    if (event instanceof ContractEvent.PaymentSucceeded succeeded) {
      return with(
          b -> {
            b.lastPaidPeriod = succeeded.attempt().period();
            b.outstandingPeriod = null;
            b.attemptsInPeriod = 0;
            b.recentAttempts = withAttempt(succeeded.occurredAt());
            b.nextRetry = null;
            b.pendingManualRetry = null;
            b.cancellationReason = null;
          });
    }
    if (event instanceof ContractEvent.RetriesExhausted exhausted) {
      return with(
          b -> {
            b.nextRetry = null;
            b.outstandingPeriod = exhausted.outstandingPeriod(); // its failure may still be on the way
            if (exhausted.lastFailure() != null && (lastFailure == null || !exhausted.lastFailure().at().isBefore(lastFailure.at()))) {
              b.lastFailure = exhausted.lastFailure();
            }
          });
    }
    if (event instanceof ContractEvent.RepaymentDeadlinePassed) {
      return with(
          b -> {
            b.nextRetry = null;
            b.cancellationReason = LEGACY_DEADLINE_CANCELLATION;
          });
    }
    if (event instanceof ContractEvent.RetryScheduled scheduled) {
      // the scheduler's event and the outcome of the retry it announces travel on different topics:
      // once an attempt of that period was made at or after the retry's time, the retry has run
      var ran = lastFailure != null && scheduled.retryPeriod().equals(outstandingPeriod)
          && !lastFailure.at().isBefore(scheduled.runAt());
      return ran ? this : with(
          b -> b.nextRetry =
              new NextRetry(scheduled.kind(), scheduled.retryNumber(), scheduled.retryPeriod(), scheduled.runAt()));
    }
    if (event instanceof ContractEvent.CancellationRequested cancellation) {
      return with(
          b -> {
            b.nextRetry = null;
            b.pendingManualRetry = null;
            b.cancellationReason = cancellation.reason();
          });
    }
    if (event instanceof ContractEvent.ManualRetryRequested requested) {
      var by = requested.actor().name();
      effects.add(
          new Effect.ManualRetryOrdered(requested.retryOn(), requested.runAt(), outstandingPeriod, by));
      return with(
          b -> b.pendingManualRetry = new PendingManualRetry(requested.retryOn(), requested.runAt(), by));
    }
    if (event instanceof ContractEvent.ManualRetryWithdrawn withdrawn) {
      effects.add(
          new Effect.ManualRetryWithdrawn(
              Actor.Kind.ADMINISTRATOR, "withdrawn by " + withdrawn.actor().name(), pendingManualRetry.runAt()));
      return with(b -> b.pendingManualRetry = null);
    }
    if (event instanceof ContractEvent.PaymentMethodUpdated updated) {
      effects.add(new Effect.PaymentMethodChangeOrdered(updated.updateId(), updated.updatedFrom(), updated.sealedToken()));
      // the latest card given counts, as billing keeps it: an older update handled late moves nothing back
      var latest = paymentMethodUpdatedAt != null && paymentMethodUpdatedAt.isAfter(updated.occurredAt())
          ? paymentMethodUpdatedAt : updated.occurredAt();
      return with(b -> b.paymentMethodUpdatedAt = latest);
    }
    if (event instanceof ContractEvent.RepaymentRequested requested) {
      effects.add(new Effect.RepaymentRequestOrdered(requested.eventId(), outstandingPeriod, requested.expiresAt(),
          requested.actor().name()));
      return with(b -> {
        b.lastRepaymentRequestOn = requested.requestedOn();
        b.repaymentRequestsSent = repaymentRequestsSent + 1;
      });
    }
    var notice = (ContractEvent.FinalNoticeSent) event;
    effects.add(new Effect.FinalNoticeOrdered(notice.noticeOn(), notice.actor().name()));
    return with(b -> b.lastFinalNoticeOn = notice.noticeOn());
  }

  private Contract movedTo(Status to, Instant at) {
    var moved = to != status;
    return with(
        b -> {
          b.status = to;
          b.statusSince = moved ? at : statusSince;
          b.errorSince = to == Status.ERROR ? (moved ? at : errorSince) : null;
          b.version = version + 1;
        });
  }

  private List<Instant> withAttempt(Instant at) {
    var kept = new ArrayList<Instant>();
    recentAttempts.stream().filter(t -> AttemptBudget.inWindow(t, at)).forEach(kept::add);
    kept.add(at);
    return kept;
  }

  private Contract with(java.util.function.Consumer<Builder> change) {
    var builder = new Builder(this);
    change.accept(builder);
    return builder.build();
  }

  /** A mutable copy, only inside {@link #with}. */
  private static final class Builder {
    private final Contract from;
    Status status;
    Instant statusSince;
    Instant errorSince;
    Failure lastFailure;
    LocalDate outstandingPeriod;
    LocalDate lastPaidPeriod;
    int attemptsInPeriod;
    List<Instant> recentAttempts;
    NextRetry nextRetry;
    PendingManualRetry pendingManualRetry;
    LocalDate lastFinalNoticeOn;
    LocalDate lastRepaymentRequestOn;
    int repaymentRequestsSent;
    Instant paymentMethodUpdatedAt;
    String cancellationReason;
    long version;

    Builder(Contract c) {
      from = c;
      status = c.status;
      statusSince = c.statusSince;
      errorSince = c.errorSince;
      lastFailure = c.lastFailure;
      outstandingPeriod = c.outstandingPeriod;
      lastPaidPeriod = c.lastPaidPeriod;
      attemptsInPeriod = c.attemptsInPeriod;
      recentAttempts = c.recentAttempts;
      nextRetry = c.nextRetry;
      pendingManualRetry = c.pendingManualRetry;
      lastFinalNoticeOn = c.lastFinalNoticeOn;
      lastRepaymentRequestOn = c.lastRepaymentRequestOn;
      repaymentRequestsSent = c.repaymentRequestsSent;
      paymentMethodUpdatedAt = c.paymentMethodUpdatedAt;
      cancellationReason = c.cancellationReason;
      version = c.version;
    }

    Contract build() {
      return new Contract(
          from.contractId, from.orgId, from.cohort, from.supporter, from.amountYen, from.interval, status,
          statusSince, errorSince, lastFailure, outstandingPeriod, lastPaidPeriod, attemptsInPeriod,
          recentAttempts, nextRetry, pendingManualRetry, lastFinalNoticeOn, lastRepaymentRequestOn, repaymentRequestsSent,
          paymentMethodUpdatedAt, cancellationReason,
          version);
    }
  }
}
