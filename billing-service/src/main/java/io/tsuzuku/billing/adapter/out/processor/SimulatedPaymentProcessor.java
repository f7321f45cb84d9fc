package io.tsuzuku.billing.adapter.out.processor;

import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.domain.DeclineCodes;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A payment processor for the local stack and the tests, deterministic by payment token:
 *
 * <ul>
 *   <li>{@code tok_decline_<code>}: always declines with that decline code;
 *   <li>{@code tok_decline_until_<YYYY-MM-DD>}: declines ({@code card_declined}) before that date
 *       (Asia/Tokyo), succeeds from it on;
 *   <li>{@code tok_timeout}: never answers in time (the outcome is unknown);
 *   <li>anything else: succeeds.
 * </ul>
 *
 * Like a real processor it is idempotent by key: a second call with a key answers the first
 * result and charges nothing, and it answers a look-up by key from its own record. In the local
 * stack it stands in for both the current and the legacy processor; nothing else may use it.
 */
public final class SimulatedPaymentProcessor implements PaymentProcessor {

  /**
   * The one simulator that several instances of the billing-service in one JVM (the local
   * stack's) charge through, as instances share a processor and its idempotency keys.
   */
  public record Shared(SimulatedPaymentProcessor processor) {}

  private final Clock clock;
  private final ZoneId zone;
  private final Duration latency;
  private final Map<String, Result> answered = new ConcurrentHashMap<>();
  private final Map<String, Result> refunded = new ConcurrentHashMap<>();
  private final AtomicInteger charges = new AtomicInteger();

  public SimulatedPaymentProcessor(Clock clock, ZoneId zone, Duration latency) {
    this.clock = clock;
    this.zone = zone;
    this.latency = latency;
  }

  @Override
  public Result charge(Charge charge) {
    var first = answered.get(charge.idempotencyKey());
    if (first != null) {
      return first;
    }
    pause();
    var token = charge.paymentMethodToken();
    if ("tok_timeout".equals(token)) {
      return new Result.Unknown("the simulated processor timed out");
    }
    return answered.computeIfAbsent(charge.idempotencyKey(), key -> decide(token, key));
  }

  @Override
  public Result lookup(Charge charge) {
    var recorded = answered.get(charge.idempotencyKey());
    return recorded != null ? recorded : new Result.NotFound();
  }

  @Override
  public Result refund(Refund refund) {
    return refunded.computeIfAbsent(refund.idempotencyKey(), key -> new Result.Succeeded("sim_re_" + Integer.toHexString(key.hashCode())));
  }

  /** How many refunds it made (replays excluded). */
  public int refunds() {
    return refunded.size();
  }

  /** How many charges it really made (replays excluded). */
  public int charges() {
    return charges.get();
  }

  private Result decide(String token, String key) {
    if (token.startsWith("tok_decline_until_")) {
      var until = LocalDate.parse(token.substring("tok_decline_until_".length()));
      if (clock.instant().atZone(zone).toLocalDate().isBefore(until)) {
        return new Result.Declined("card_declined", DeclineCodes.classify("card_declined"), "declined until " + until);
      }
    } else if (token.startsWith("tok_decline_")) {
      var code = token.substring("tok_decline_".length());
      return new Result.Declined(code, DeclineCodes.classify(code), "simulated decline");
    }
    charges.incrementAndGet();
    return new Result.Succeeded("sim_" + Integer.toHexString(key.hashCode()));
  }

  private void pause() {
    if (latency.isZero()) {
      return;
    }
    try {
      Thread.sleep(latency.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
