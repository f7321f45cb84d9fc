package io.tsuzuku.billing.application;

import io.tsuzuku.billing.application.port.AttemptStore;
import io.tsuzuku.billing.application.port.OutcomePublisher;
import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.ChargeKind;
import io.tsuzuku.billing.domain.ChargeRules;
import io.tsuzuku.billing.domain.FailureClass;
import java.time.Clock;
import java.time.LocalDate;

/**
 * Every charge goes through here: a scheduled charge, a retry ordered by the retry service, a
 * supporter's re-payment. The attempt is recorded PENDING before the processor is called, with
 * its id as the idempotency key; a command for a known attempt republishes the recorded outcome
 * and never charges again; a PENDING attempt (a crash between the call and the record, or no
 * answer) is reconciled by asking the processor again under the same key, which answers with its
 * first result instead of charging.
 */
public final class ChargeAttempts {

  /** What to charge. */
  public record Command(
      String attemptId, BilledContract contract, ChargeKind kind, int number, LocalDate period, String causeEventId) {}

  private final AttemptStore attempts;
  private final PaymentProcessor processor;
  private final OutcomePublisher outcomes;
  private final Clock clock;

  public ChargeAttempts(AttemptStore attempts, PaymentProcessor processor, OutcomePublisher outcomes, Clock clock) {
    this.attempts = attempts;
    this.processor = processor;
    this.outcomes = outcomes;
    this.clock = clock;
  }

  /** Charges the attempt once, whatever happens; returns its (possibly earlier) outcome. */
  public Attempt charge(Command command) {
    var known = attempts.find(command.attemptId());
    if (known.isPresent()) {
      return known.get().isFinished() ? republish(known.get()) : reconcile(known.get());
    }
    var contract = command.contract();
    var now = clock.instant();
    var attempt = Attempt.pending(command.attemptId(), contract.contractId(), contract.orgId(), command.kind(),
        command.number(), command.period(), contract.amountYen(), contract.paymentMethodToken(), now, command.causeEventId(),
        contract.cohort() == BilledContract.Cohort.LEGACY);
    var refusal = ChargeRules.refusal(contract, command.kind(),
        attempts.attemptTimes(contract.contractId(), now.minus(ChargeRules.BUDGET_WINDOW)), now);
    if (refusal.isPresent()) {
      var refused = attempt.failed(refusal.get(), FailureClass.REFUSED, now);
      if (!attempts.recordNew(refused)) {
        return charge(command); // recorded meanwhile by another delivery: answer as that one
      }
      return republish(refused);
    }
    if (!attempts.recordNew(attempt)) {
      return charge(command);
    }
    return callProcessor(attempt);
  }

  /** Reconciles every attempt left PENDING (at start-up): asks, never charges anew. */
  public int reconcilePending() {
    var pending = attempts.pending();
    pending.forEach(this::reconcile);
    return pending.size();
  }

  private Attempt reconcile(Attempt pending) {
    return callProcessor(pending);
  }

  private Attempt callProcessor(Attempt attempt) {
    var result = processor.charge(new PaymentProcessor.Charge(
        attempt.attemptId(), attempt.paymentMethodToken(), attempt.amountYen(),
        "tsuzuku " + attempt.contractId() + " " + attempt.period(), attempt.legacyCohort()));
    var now = clock.instant();
    Attempt finished;
    if (result instanceof PaymentProcessor.Result.Succeeded succeeded) {
      finished = attempt.succeeded(succeeded.reference(), now);
    } else if (result instanceof PaymentProcessor.Result.Declined declined) {
      finished = attempt.failed(declined.code(), declined.failureClass(), now);
    } else {
      throw new OutcomeUnknownException(attempt.attemptId(), ((PaymentProcessor.Result.Unknown) result).reason());
    }
    attempts.complete(finished);
    return republish(finished);
  }

  private Attempt republish(Attempt finished) {
    outcomes.publish(finished);
    return finished;
  }
}
