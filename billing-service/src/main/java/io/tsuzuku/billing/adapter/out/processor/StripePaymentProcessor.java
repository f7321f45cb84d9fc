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
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentSearchParams;
import com.stripe.param.RefundCreateParams;
import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.domain.DeclinePolicy;
import io.tsuzuku.billing.domain.FailureClass;

/**
 * Charges through Stripe with its official SDK: an off-session PaymentIntent in yen, confirmed at
 * once, with the attempt id as the {@code Idempotency-Key}, so a second call for the same attempt
 * (a redelivery, a reconciliation after a crash) gets Stripe's first answer and charges nothing.
 * Decline codes are sorted into soft and hard declines; no answer, a rate limit or a Stripe-side
 * error leave the outcome unknown. Such an attempt is reconciled by reading, never by creating
 * again (Stripe may forget an idempotency key after 24 hours): a search for the PaymentIntent whose
 * metadata carries the attempt id.
 *
 * <p>The payment method token is a PaymentMethod id ({@code pm_…}), or {@code cus_…/pm_…} when the
 * method is attached to a customer.
 */
public final class StripePaymentProcessor implements PaymentProcessor {

  private final StripeClient stripe;

  public StripePaymentProcessor(StripeClient stripe) {
    this.stripe = stripe;
  }

  @Override
  public Result charge(Charge charge) {
    var params = PaymentIntentCreateParams.builder()
        .setAmount(charge.amountYen())
        .setCurrency("jpy")
        .setConfirm(true)
        .setOffSession(true)
        .setDescription(charge.description())
        .putMetadata("attempt_id", charge.idempotencyKey());
    var token = charge.paymentMethodToken();
    var slash = token.indexOf('/');
    if (slash > 0) {
      params.setCustomer(token.substring(0, slash)).setPaymentMethod(token.substring(slash + 1));
    } else {
      params.setPaymentMethod(token);
    }
    var options = RequestOptions.builder().setIdempotencyKey(charge.idempotencyKey()).build();
    try {
      return result(stripe.paymentIntents().create(params.build(), options));
    } catch (CardException e) {
      var code = e.getDeclineCode() != null ? e.getDeclineCode() : e.getCode();
      var error = e.getStripeError();
      return new Result.Declined(code, DeclinePolicy.classify(code, error == null ? null : error.getAdviceCode()),
          error == null ? null : error.getMessage());
    } catch (ApiConnectionException | ApiException e) { // ApiException includes rate limits (429)
      return new Result.Unknown("stripe did not answer: " + e.getMessage());
    } catch (IdempotencyException | AuthenticationException e) {
      throw new IllegalStateException("stripe refused the request: " + e.getMessage(), e);
    } catch (InvalidRequestException e) {
      var code = e.getCode() == null ? "invalid_request" : e.getCode();
      return new Result.Declined(code, DeclinePolicy.classify("invalid_request"), e.getMessage()); // e.g. a payment method that no longer exists
    } catch (StripeException e) {
      return new Result.Unknown("stripe error: " + e.getMessage());
    }
  }

  @Override
  public Result lookup(Charge charge) {
    var query = "metadata['attempt_id']:'" + charge.idempotencyKey().replace("'", "\\'") + "'";
    try {
      var found = stripe.paymentIntents().search(PaymentIntentSearchParams.builder().setQuery(query).build());
      return found.getData().isEmpty() ? new Result.NotFound() : result(found.getData().get(0));
    } catch (StripeException e) {
      return new Result.Unknown("stripe search failed: " + e.getMessage());
    }
  }

  /** A refund of the whole PaymentIntent, under the refund's idempotency key. */
  @Override
  public Result refund(Refund refund) {
    var params = RefundCreateParams.builder().setPaymentIntent(refund.reference()).setAmount(refund.amountYen()).build();
    try {
      var created = stripe.refunds().create(params, RequestOptions.builder().setIdempotencyKey(refund.idempotencyKey()).build());
      return "failed".equals(created.getStatus()) || "canceled".equals(created.getStatus())
          ? new Result.Declined(created.getFailureReason(), FailureClass.PROCESSOR_ERROR, "refund " + created.getId() + " " + created.getStatus())
          : new Result.Succeeded(created.getId());
    } catch (InvalidRequestException e) {
      return new Result.Declined(e.getCode() == null ? "invalid_request" : e.getCode(), FailureClass.HARD_DECLINE, e.getMessage());
    } catch (StripeException e) {
      return new Result.Unknown("stripe did not refund: " + e.getMessage());
    }
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
