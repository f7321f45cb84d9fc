package io.tsuzuku.systemtests.model;

import io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor;
import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.domain.FailureClass;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The payment processor of the model: the simulator decides by card token, and the model makes it
 * misbehave as real processors do. An answer may be lost after the money was taken; the processor
 * may be down (nothing taken, no answer); its reads lag behind its writes (a look-up of a recent
 * charge cannot tell yet); a refund may be taken and finish later, or fail (the card closed). It records every charge request
 * and every refund it made, which is what the model's checks judge.
 */
final class ModelProcessor implements PaymentProcessor {

  /** A charge request as the processor received it: a new key is a new charge. */
  record Request(String key, String token, Instant at, Result result) {}

  private final SimulatedPaymentProcessor simulator;
  private final Clock clock;
  private final Random random;
  private final Map<String, Instant> firstSeen = new HashMap<>();
  final List<Request> requests = new ArrayList<>();
  /** Refunds made, by the payment's reference: each reference must be refunded at most once. */
  final Map<String, Integer> refundsMade = new HashMap<>();
  private final Map<String, Instant> refundsFinishAt = new HashMap<>();
  /** Refunds the processor takes and then fails (the card closed), by idempotency key. */
  private final Set<String> refundsFailing = new HashSet<>();
  boolean faulty;
  boolean down;
  /** How long a look-up cannot tell about a charge after it was made. */
  Duration readLag = Duration.ZERO;

  ModelProcessor(Clock clock, ZoneId zone, Random random) {
    this.simulator = new SimulatedPaymentProcessor(clock, zone, Duration.ZERO);
    this.clock = clock;
    this.random = random;
  }

  @Override
  public Result charge(Charge charge) {
    if (down) {
      return new Result.Unknown("the processor is down");
    }
    var result = simulator.charge(charge);
    firstSeen.putIfAbsent(charge.idempotencyKey(), clock.instant());
    requests.add(new Request(charge.idempotencyKey(), charge.paymentMethodToken(), clock.instant(), result));
    return faulty && random.nextInt(6) == 0 ? new Result.Unknown("the answer was lost") : result;
  }

  @Override
  public Result lookup(Charge charge) {
    if (down) {
      return new Result.Unknown("the processor is down");
    }
    var seen = firstSeen.get(charge.idempotencyKey());
    if (seen != null && clock.instant().isBefore(seen.plus(readLag))) {
      return new Result.Unknown("the processor's reads lag");
    }
    return simulator.lookup(charge);
  }

  @Override
  public Result refund(Refund refund) {
    if (down) {
      return new Result.Unknown("the processor is down");
    }
    var first = !refundsFinishAt.containsKey(refund.idempotencyKey());
    if (first && faulty && random.nextInt(8) == 0 || refundsFailing.contains(refund.idempotencyKey())) {
      refundsFailing.add(refund.idempotencyKey()); // the card was closed: taken, then failed two hours later
      refundsFinishAt.putIfAbsent(refund.idempotencyKey(), clock.instant().plus(Duration.ofHours(2)));
      return failing(refund);
    }
    var result = simulator.refund(refund);
    if (first) {
      refundsMade.merge(refund.reference(), 1, Integer::sum);
      refundsFinishAt.put(refund.idempotencyKey(), faulty && random.nextBoolean() ? clock.instant().plus(Duration.ofHours(2))
          : clock.instant());
    }
    return pendingOr(refund, result);
  }

  @Override
  public Result refundOutcome(Refund refund, String refundReference) {
    if (down) {
      return new Result.Unknown("the processor is down");
    }
    return refundsFailing.contains(refund.idempotencyKey()) ? failing(refund)
        : pendingOr(refund, simulator.refundOutcome(refund, refundReference));
  }

  /** A refund that gives nothing back: pending for a while, then failed. */
  private Result failing(Refund refund) {
    return clock.instant().isBefore(refundsFinishAt.get(refund.idempotencyKey())) ? new Result.Pending("re_failing_" + refund.reference())
        : new Result.Declined("expired_or_canceled_card", FailureClass.PROCESSOR_ERROR, "the card was closed");
  }

  private Result pendingOr(Refund refund, Result result) {
    var finishAt = refundsFinishAt.get(refund.idempotencyKey());
    return result instanceof Result.Succeeded done && finishAt != null && clock.instant().isBefore(finishAt)
        ? new Result.Pending(done.reference()) : result;
  }

  /** The payments the processor took, from its own ledger. */
  List<SimulatedPaymentProcessor.Payment> payments() {
    return simulator.payments();
  }
}
