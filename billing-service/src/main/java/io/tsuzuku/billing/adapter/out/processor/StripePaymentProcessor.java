package io.tsuzuku.billing.adapter.out.processor;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentListParams;
import com.stripe.param.RefundCreateParams;
import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.domain.DeclinePolicy;
import io.tsuzuku.billing.domain.FailureClass;
import java.time.Clock;
import java.time.Duration;

/**
 * Charges through Stripe with its official SDK: an off-session PaymentIntent in yen, confirmed at
 * once, with the attempt id as the {@code Idempotency-Key}, so a second call for the same attempt
 * (a redelivery, a reconciliation after a crash) gets Stripe's first answer and charges nothing.
 * Declines are classified by billing's decline table (the decline code and Stripe's advice code);
 * no answer, a rate limit or a Stripe-side error leave the outcome unknown.
 *
 * <p>An attempt whose outcome is unknown is reconciled by strongly consistent reads only, never by
 * Stripe's Search, which Stripe documents as not for read-after-write and as lagging during
 * incidents, exactly when outcomes are unknown. Within {@link #REPLAY_WINDOW} of its claim (inside
 * Stripe's idempotency window: keys are kept at least 24 hours) the create is repeated with the
 * same key and parameters, and Stripe answers with what it did the first time; a first request
 * still running (409) leaves it unknown, and a key first used with other parameters (400
 * {@code idempotency_error}: an earlier version's request) is read as below. Later, a repeat could charge again (the key may be pruned), so it is
 * never made: the customer's PaymentIntents created around the claim are listed and the one
 * carrying the attempt id in its metadata is the answer; none is NotFound where the token named
 * the customer. A bare PaymentMethod's customer may postdate the attempt (earlier versions charged
 * bare ones), so none there, or no customer at all, leaves the outcome unknown and the attempt is
 * reported as stuck. A read that fails (the card detached since, the key refused) never decides.
 *
 * <p>The payment method token is {@code cus_…/pm_…} (a PaymentMethod attached to a customer) or a
 * bare PaymentMethod id ({@code pm_…}). Every charge goes through a customer, as Stripe allows a
 * PaymentMethod without one to be used once only: a bare one is attached to a customer of its own
 * before its first charge and found there from then on (one more read a charge). Only cards are
 * offered ({@code payment_method_types}), so an off-session confirm never needs a return URL; see
 * docs/stripe-setup.md.
 */
public final class StripePaymentProcessor implements PaymentProcessor {

  /** How long after its claim an attempt's create may be repeated under its key. */
  static final Duration REPLAY_WINDOW = Duration.ofHours(23);

  /** How far around the claim the customer's PaymentIntents are listed. */
  private static final Duration AROUND_THE_CLAIM = Duration.ofHours(1);

  private final StripeClient stripe;
  private final Clock clock;

  public StripePaymentProcessor(StripeClient stripe, Clock clock) {
    this.stripe = stripe;
    this.clock = clock;
  }

  @Override
  public Result charge(Charge charge) {
    try {
      return intent(charge, customer(charge.paymentMethodToken()));
    } catch (IdempotencyException e) { // a key used with other parameters: a fault of ours, never the card's
      throw new IllegalStateException("stripe refused the key's parameters: " + e.getMessage(), e);
    } catch (AuthenticationException e) { // a permission the key lacks included
      throw new IllegalStateException("stripe refused the key: " + e.getMessage(), e);
    } catch (StripeException e) {
      return answer(e);
    }
  }

  /** The off-session PaymentIntent of the attempt, under the attempt's key. */
  private Result intent(Charge charge, String customer) throws StripeException {
    var params = PaymentIntentCreateParams.builder()
        .setAmount(charge.amountYen())
        .setCurrency("jpy")
        .setCustomer(customer)
        .setPaymentMethod(paymentMethod(charge.paymentMethodToken()))
        .addPaymentMethodType("card") // cards never redirect: an off-session confirm needs no return_url
        .setConfirm(true)
        .setOffSession(true)
        .setDescription(charge.description())
        .putMetadata("attempt_id", charge.idempotencyKey())
        .build();
    return result(stripe.paymentIntents().create(params, RequestOptions.builder().setIdempotencyKey(charge.idempotencyKey()).build()));
  }

  /** What an error Stripe answered means for the charge: a decline is the card's, an invalid request not. */
  private static Result answer(StripeException e) {
    if (e instanceof CardException card) {
      var code = card.getDeclineCode() != null ? card.getDeclineCode() : card.getCode();
      var error = card.getStripeError();
      return new Result.Declined(code, DeclinePolicy.classify(code, error == null ? null : error.getAdviceCode()),
          error == null ? null : error.getMessage());
    }
    if (e instanceof InvalidRequestException) {
      var code = e.getCode() == null ? "invalid_request" : e.getCode();
      return new Result.Declined(code, DeclinePolicy.classifyInvalidRequest(code), e.getMessage());
    }
    // no answer, a rate limit (429), a request under the same key still running (409), a Stripe-side error
    return new Result.Unknown((e instanceof ApiConnectionException || e instanceof ApiException ? "stripe did not answer: "
        : "stripe error: ") + e.getMessage());
  }

  /**
   * The customer the token's PaymentMethod is charged through: the one the token names, or the one
   * a bare PaymentMethod is attached to; a bare one not attached yet is attached to a new customer
   * the first time (under a key of its own, so two attempts make one customer), and found there
   * from then on. Stripe lets a PaymentMethod without a customer be used once only.
   */
  private String customer(String token) throws StripeException {
    var customer = customerOf(token);
    return customer != null ? customer : stripe.customers().create(CustomerCreateParams.builder().setPaymentMethod(token).build(),
        RequestOptions.builder().setIdempotencyKey("customer:" + token).build()).getId();
  }

  /** The customer the token names, or the one its bare PaymentMethod is attached to; null if none. */
  private String customerOf(String token) throws StripeException {
    var slash = token.indexOf('/');
    return slash > 0 ? token.substring(0, slash) : stripe.paymentMethods().retrieve(token).getCustomer();
  }

  private static String paymentMethod(String token) {
    return token.substring(token.indexOf('/') + 1);
  }

  /**
   * Reads what Stripe did with the attempt, never deciding from a failure of the read itself: only
   * the replayed PaymentIntent's answer, or the PaymentIntent found, can say succeeded or declined.
   */
  @Override
  public Result lookup(Charge charge) {
    var token = charge.paymentMethodToken();
    if (Duration.between(charge.claimedAt(), clock.instant()).compareTo(REPLAY_WINDOW) < 0) {
      String customer;
      try {
        customer = customer(token);
      } catch (StripeException e) {
        return new Result.Unknown("stripe did not say whose payment method " + token + " is: " + e.getMessage());
      }
      try {
        return intent(charge, customer); // the same request under the same key: Stripe answers what it did
      } catch (IdempotencyException e) {
        // the key was first used with other parameters (by an earlier version): read, do not replay
      } catch (AuthenticationException e) {
        return new Result.Unknown("stripe refused the key: " + e.getMessage());
      } catch (StripeException e) {
        return answer(e);
      }
    }
    String customer;
    try {
      customer = customerOf(token);
    } catch (StripeException e) {
      return new Result.Unknown("stripe did not say whose payment method " + token + " is: " + e.getMessage());
    }
    if (customer == null) { // never attached: this adapter never charged it
      return new Result.Unknown("no customer to list the payments of");
    }
    var params = PaymentIntentListParams.builder()
        .setCustomer(customer)
        .setCreated(PaymentIntentListParams.Created.builder()
            .setGte(charge.claimedAt().minus(AROUND_THE_CLAIM).getEpochSecond())
            .setLte(charge.claimedAt().plus(AROUND_THE_CLAIM).getEpochSecond())
            .build())
        .setLimit(100L)
        .build();
    try {
      for (var intent : stripe.paymentIntents().list(params).autoPagingIterable()) {
        if (charge.idempotencyKey().equals(intent.getMetadata() == null ? null : intent.getMetadata().get("attempt_id"))) {
          return result(intent);
        }
      }
      // a bare token's customer may have come after the attempt (an earlier version charged bare
      // PaymentMethods): only a customer the token named then proves that nothing was charged
      return token.contains("/") ? new Result.NotFound()
          : new Result.Unknown("not among the payments of " + customer + ", which may postdate the attempt");
    } catch (StripeException e) {
      return new Result.Unknown("stripe did not list the payments: " + e.getMessage());
    }
  }

  /** A refund of the whole PaymentIntent, under the refund's idempotency key. */
  @Override
  public Result refund(Refund refund) {
    var params = RefundCreateParams.builder().setPaymentIntent(refund.reference()).setAmount(refund.amountYen()).build();
    try {
      return refundResult(stripe.refunds().create(params, RequestOptions.builder().setIdempotencyKey(refund.idempotencyKey()).build()));
    } catch (InvalidRequestException e) {
      return new Result.Declined(e.getCode() == null ? "invalid_request" : e.getCode(), FailureClass.HARD_DECLINE, e.getMessage());
    } catch (StripeException e) {
      return new Result.Unknown("stripe did not refund: " + e.getMessage());
    }
  }

  /** A refund Stripe took ends succeeded, failed or canceled; until then it is pending (or requires action). */
  @Override
  public Result refundOutcome(Refund refund, String refundReference) {
    try {
      return refundResult(stripe.refunds().retrieve(refundReference));
    } catch (StripeException e) {
      return new Result.Unknown("stripe did not say how refund " + refundReference + " went: " + e.getMessage());
    }
  }

  private static Result refundResult(com.stripe.model.Refund refund) {
    return switch (refund.getStatus()) {
      case "succeeded" -> new Result.Succeeded(refund.getId());
      case "failed", "canceled" -> new Result.Declined(refund.getFailureReason(), FailureClass.PROCESSOR_ERROR,
          "refund " + refund.getId() + " " + refund.getStatus());
      default -> new Result.Pending(refund.getId()); // pending, requires_action
    };
  }

  private static Result result(PaymentIntent intent) {
    return switch (intent.getStatus()) {
      case "succeeded" -> new Result.Succeeded(intent.getId());
      case "processing" -> new Result.Unknown("payment intent " + intent.getId() + " is processing");
      default -> {
        var error = intent.getLastPaymentError();
        var code = error == null ? intent.getStatus() : (error.getDeclineCode() != null ? error.getDeclineCode() : error.getCode());
        yield new Result.Declined(code, DeclinePolicy.classify(code, error == null ? null : error.getAdviceCode()),
            error == null ? null : error.getMessage());
      }
    };
  }
}
