package io.tsuzuku.billing.adapter.out.processor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.stripe.StripeClient;
import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.application.port.PaymentProcessor.Charge;
import io.tsuzuku.billing.application.port.PaymentProcessor.Result;
import io.tsuzuku.billing.domain.FailureClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Stripe adapter against a WireMock Stripe answering as Stripe's API reference documents. */
class StripePaymentProcessorTest {

  private static final String PATH = "/v1/payment_intents";

  private WireMockServer stripeStub;
  private StripePaymentProcessor processor;

  @BeforeEach
  void startTheStub() {
    stripeStub = new WireMockServer(options().dynamicPort());
    stripeStub.start();
    processor = new StripePaymentProcessor(StripeClient.builder()
        .setApiKey("sk_test_tsuzuku")
        .setApiBase(stripeStub.baseUrl())
        .setMaxNetworkRetries(0)
        .setReadTimeout(1_000)
        .build());
  }

  @AfterEach
  void stopTheStub() {
    stripeStub.stop();
  }

  @Test
  void aSucceededPaymentIntentIsASuccessAndTheAttemptIdIsTheIdempotencyKey() {
    stripeStub.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, intent("pi_1", "succeeded"))));

    var result = processor.charge(new Charge("c-1:2027-03-01:SCHEDULED:0", "cus_1/pm_card_visa", 3000, "tsuzuku c-1 2027-03-01", false));

    assertThat(result).isEqualTo(new Result.Succeeded("pi_1"));
    stripeStub.verify(postRequestedFor(urlEqualTo(PATH))
        .withHeader("Idempotency-Key", equalTo("c-1:2027-03-01:SCHEDULED:0"))
        .withRequestBody(containing("amount=3000"))
        .withRequestBody(containing("currency=jpy"))
        .withRequestBody(containing("confirm=true"))
        .withRequestBody(containing("off_session=true"))
        .withRequestBody(containing("customer=cus_1"))
        .withRequestBody(containing("payment_method=pm_card_visa")));
  }

  @Test
  void declineCodesAreSortedIntoSoftAndHardDeclines() {
    stripeStub.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo("soft"))
        .willReturn(json(402, cardError("card_declined", "insufficient_funds"))));
    stripeStub.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo("hard"))
        .willReturn(json(402, cardError("expired_card", null))));

    assertThat(processor.charge(new Charge("soft", "pm_1", 3000, "d", false)))
        .isInstanceOfSatisfying(Result.Declined.class, d -> {
          assertThat(d.code()).isEqualTo("insufficient_funds");
          assertThat(d.failureClass()).isEqualTo(FailureClass.SOFT_DECLINE);
        });
    assertThat(processor.charge(new Charge("hard", "pm_1", 3000, "d", false)))
        .isInstanceOfSatisfying(Result.Declined.class, d -> {
          assertThat(d.code()).isEqualTo("expired_card");
          assertThat(d.failureClass()).isEqualTo(FailureClass.HARD_DECLINE);
        });
  }

  @Test
  void noAnswerInTimeOrAStripeErrorLeavesTheOutcomeUnknown() {
    stripeStub.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo("slow"))
        .willReturn(json(200, intent("pi_2", "succeeded")).withFixedDelay(3_000)));
    stripeStub.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo("broken"))
        .willReturn(json(500, "{\"error\":{\"type\":\"api_error\",\"message\":\"Something went wrong\"}}")));

    assertThat(processor.charge(new Charge("slow", "pm_1", 3000, "d", false))).isInstanceOf(Result.Unknown.class);
    assertThat(processor.charge(new Charge("broken", "pm_1", 3000, "d", false))).isInstanceOf(Result.Unknown.class);
  }

  @Test
  void anAttemptInFlightIsReconciledBySearchingItsAttemptIdNeverByCreatingAgain() {
    stripeStub.stubFor(get(urlPathEqualTo(PATH + "/search"))
        .withQueryParam("query", equalTo("metadata['attempt_id']:'c-1:2027-03-01:SCHEDULED:0'"))
        .willReturn(json(200, "{\"object\": \"search_result\", \"data\": [" + intent("pi_3", "succeeded")
            + "], \"has_more\": false, \"url\": \"/v1/payment_intents/search\"}")));
    stripeStub.stubFor(get(urlPathEqualTo(PATH + "/search"))
        .withQueryParam("query", equalTo("metadata['attempt_id']:'never-sent'"))
        .willReturn(json(200, "{\"object\": \"search_result\", \"data\": [], \"has_more\": false, \"url\": \"/v1/payment_intents/search\"}")));

    var found = processor.lookup(new Charge("c-1:2027-03-01:SCHEDULED:0", "pm_1", 3000, "d", false));
    var missing = processor.lookup(new Charge("never-sent", "pm_1", 3000, "d", false));

    assertThat(found).isEqualTo(new Result.Succeeded("pi_3"));
    assertThat(missing).isInstanceOf(Result.NotFound.class);
    assertThat(stripeStub.findAll(postRequestedFor(urlEqualTo(PATH)))).as("nothing created again").isEmpty();
  }

  @Test
  void aRefundGivesThePaymentIntentBackUnderItsOwnIdempotencyKey() {
    stripeStub.stubFor(post(urlEqualTo("/v1/refunds")).willReturn(json(200,
        "{\"id\": \"re_1\", \"object\": \"refund\", \"amount\": 3000, \"currency\": \"jpy\", \"status\": \"succeeded\", \"payment_intent\": \"pi_1\"}")));

    var result = processor.refund(new PaymentProcessor.Refund("refund:c-1:2027-03-01:MANUAL_RETRY:4", "pi_1", 3000, false));

    assertThat(result).isEqualTo(new Result.Succeeded("re_1"));
    stripeStub.verify(postRequestedFor(urlEqualTo("/v1/refunds"))
        .withHeader("Idempotency-Key", equalTo("refund:c-1:2027-03-01:MANUAL_RETRY:4"))
        .withRequestBody(containing("payment_intent=pi_1"))
        .withRequestBody(containing("amount=3000")));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withHeader("Request-Id", "req_1").withBody(body);
  }

  private static String intent(String id, String status) {
    return """
        {"id": "%s", "object": "payment_intent", "amount": 3000, "currency": "jpy", "status": "%s",
         "confirmation_method": "automatic", "livemode": false, "metadata": {}}""".formatted(id, status);
  }

  private static String cardError(String code, String declineCode) {
    return """
        {"error": {"type": "card_error", "code": "%s", %s "message": "Your card was declined.",
         "payment_intent": {"id": "pi_x", "object": "payment_intent", "status": "requires_payment_method"}}}"""
        .formatted(code, declineCode == null ? "" : "\"decline_code\": \"" + declineCode + "\",");
  }
}
