package io.tsuzuku.billing.adapter.out.processor;

import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.domain.DeclinePolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A payment processor for the local stack and the tests, deterministic by payment token:
 *
 * <ul>
 *   <li>{@code tok_decline_<code>}: always declines with that decline code;
 *   <li>{@code tok_decline_until_<YYYY-MM-DD>}: declines ({@code card_declined}) before that date
 *       (Asia/Tokyo), succeeds from it on;
 *   <li>{@code tok_timeout}: never answers in time (the outcome is unknown), and takes nothing;
 *   <li>{@code tok_answers_late}: takes the money but its answer does not come back in time (the
 *       outcome is unknown), and the processor stays that slow for a while: a look-up finds the
 *       payment only once {@link #LATE_ANSWER} has passed on the clock since the attempt was claimed;
 *   <li>anything else: succeeds.
 * </ul>
 *
 * A token may name its card after a dot ({@code tok_visa.c-0001}): tokens that behave alike are
 * then different cards, each with its own attempt budget, as a real processor's tokens would be.
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

  /** Money the simulator took: a charge it accepted (declines and replays of a key are not payments). */
  public record Payment(String idempotencyKey, String reference, String description, long amountYen, Instant at) {}

  /** How long after taking the money a {@code tok_answers_late} payment stays unanswered. */
  public static final Duration LATE_ANSWER = Duration.ofMinutes(1);

  private final Clock clock;
  private final ZoneId zone;
  private final Duration latency;
  private final Map<String, Result> answered = new ConcurrentHashMap<>();
  private final Map<String, Instant> answersDue = new ConcurrentHashMap<>();
  private final Map<String, Result> refunded = new ConcurrentHashMap<>();
  private final Set<String> refundedReferences = ConcurrentHashMap.newKeySet();
  private final Queue<Payment> payments = new ConcurrentLinkedQueue<>();

  public SimulatedPaymentProcessor(Clock clock, ZoneId zone, Duration latency) {
    this.clock = clock;
    this.zone = zone;
    this.latency = latency;
  }

  @Override
  public Result charge(Charge charge) {
    var first = answered.get(charge.idempotencyKey());
    if (first != null) {
      return stillLate(charge, first);
    }
    pause();
    var token = behaviour(charge.paymentMethodToken());
    if ("tok_timeout".equals(token)) {
      return new Result.Unknown("the simulated processor timed out");
    }
    return stillLate(charge, answered.computeIfAbsent(charge.idempotencyKey(), key -> decide(charge)));
  }

  @Override
  public Result lookup(Charge charge) {
    var recorded = answered.get(charge.idempotencyKey());
    return recorded != null ? stillLate(charge, recorded) : new Result.NotFound();
  }

  /** The answer, unless it is a late one and not yet due. */
  private Result stillLate(Charge charge, Result answer) {
    var due = answersDue.get(charge.idempotencyKey());
    return due != null && clock.instant().isBefore(due) ? new Result.Unknown("the simulated processor's answer came too late")
        : answer;
  }

  @Override
  public Result refund(Refund refund) {
    return refunded.computeIfAbsent(refund.idempotencyKey(), key -> {
      refundedReferences.add(refund.reference());
      return new Result.Succeeded("sim_re_" + Integer.toHexString(key.hashCode()));
    });
  }

  @Override
  public Result refundOutcome(Refund refund, String refundReference) {
    var made = refunded.get(refund.idempotencyKey());
    return made != null ? made : new Result.NotFound();
  }

  /** How many refunds it made (replays excluded). */
  public int refunds() {
    return refunded.size();
  }

  /** How many charges it really made (replays excluded). */
  public int charges() {
    return payments.size();
  }

  /** The simulator's own ledger: every payment it took, in order. */
  public List<Payment> payments() {
    return List.copyOf(payments);
  }

  /** The references of the payments it refunded. */
  public Set<String> refundedReferences() {
    return Set.copyOf(refundedReferences);
  }

  private Result decide(Charge charge) {
    var token = behaviour(charge.paymentMethodToken());
    var key = charge.idempotencyKey();
    if (token.startsWith("tok_decline_until_")) {
      var until = LocalDate.parse(token.substring("tok_decline_until_".length()));
      if (clock.instant().atZone(zone).toLocalDate().isBefore(until)) {
        return new Result.Declined("card_declined", DeclinePolicy.classify("card_declined"), "declined until " + until);
      }
    } else if (token.startsWith("tok_decline_")) {
      var code = token.substring("tok_decline_".length());
      return new Result.Declined(code, DeclinePolicy.classify(code), "simulated decline");
    }
    var reference = "sim_" + Integer.toHexString(key.hashCode());
    if ("tok_answers_late".equals(token)) {
      // from the claim, not from when this thread got here: a busy instance must not make the answer later
      var taken = charge.claimedAt() == null ? clock.instant() : charge.claimedAt();
      answersDue.put(key, taken.plus(LATE_ANSWER));
    }
    payments.add(new Payment(key, reference, charge.description(), charge.amountYen(), clock.instant()));
    return new Result.Succeeded(reference);
  }

  /** What a token makes the simulator do: the token without the card's name after its first dot. */
  private static String behaviour(String token) {
    var dot = token.indexOf('.');
    return dot < 0 ? token : token.substring(0, dot);
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
