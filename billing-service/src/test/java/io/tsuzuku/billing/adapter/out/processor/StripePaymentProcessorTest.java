package io.tsuzuku.billing.adapter.out.processor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.tuple;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.stripe.StripeClient;
import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.application.port.PaymentProcessor.Charge;
import io.tsuzuku.billing.application.port.PaymentProcessor.Result;
import io.tsuzuku.billing.domain.FailureClass;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Stripe adapter against a WireMock Stripe answering as Stripe's API reference documents, which
 * refuses, as Stripe would, every request that Stripe's OpenAPI description or its documented rules
 * refuse ({@link StripeApiCheck}); a test fails if the adapter sent one.
 */
class StripePaymentProcessorTest {

  private static final String PATH = "/v1/payment_intents";
  private static final Instant NOW = Instant.parse("2027-03-02T01:00:00Z");

  private final StripeApiCheck stripeApi = new StripeApiCheck();
  private WireMockServer stripeStub;
  private StripePaymentProcessor processor;

  @BeforeEach
  void startTheStub() {
    stripeStub = new WireMockServer(options().dynamicPort().extensions(stripeApi));
    stripeStub.start();
    // unless a test says otherwise, a bare PaymentMethod is already attached to cus_1
    stripeStub.stubFor(get(urlPathMatching("/v1/payment_methods/pm_[^/]+")).atPriority(10)
        .willReturn(json(200, paymentMethod("pm_1", "cus_1"))));
    processor = new StripePaymentProcessor(StripeClient.builder()
        .setApiKey("sk_test_tsuzuku")
        .setApiBase(stripeStub.baseUrl())
        .setMaxNetworkRetries(0)
        .setReadTimeout(1_000)
        .build(), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void stopTheStub() {
    stripeStub.stop();
    assertThat(stripeApi.takeRefusals()).as("requests Stripe would refuse").isEmpty();
  }

  @Test
  void aSucceededPaymentIntentIsASuccessAndTheAttemptIdIsTheIdempotencyKey() {
    stripeStub.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, intent("pi_1", "succeeded"))));

    var result = processor.charge(new Charge("c-1:2027-03-01:SCHEDULED:0", "cus_1/pm_card_visa", 3000, "tsuzuku c-1 2027-03-01", false, NOW));

    assertThat(result).isEqualTo(new Result.Succeeded("pi_1"));
    stripeStub.verify(postRequestedFor(urlEqualTo(PATH))
        .withHeader("Idempotency-Key", equalTo("c-1:2027-03-01:SCHEDULED:0"))
        .withRequestBody(containing("amount=3000"))
        .withRequestBody(containing("currency=jpy"))
        .withRequestBody(containing("confirm=true"))
        .withRequestBody(containing("off_session=true"))
        .withRequestBody(containing("customer=cus_1"))
        .withRequestBody(containing("payment_method=pm_card_visa"))
        .withRequestBody(containing("payment_method_types[0]=card")));
    assertThat(stripeStub.findAll(getRequestedFor(urlPathMatching("/v1/payment_methods/.*")))).as("the token names the customer").isEmpty();
  }

  /**
   * Stripe lets a PaymentMethod without a customer be used once: a bare token is attached to a
   * customer before its first charge (one customer, whatever the number of attempts), and every
   * charge goes through that customer, so the second month's charge is not refused.
   */
  @Test
  void aBarePaymentMethodIsAttachedToACustomerOnceAndEveryChargeGoesThroughIt() {
    stripeStub.stubFor(get(urlEqualTo("/v1/payment_methods/pm_new")).inScenario("attach").whenScenarioStateIs(STARTED)
        .willReturn(json(200, paymentMethod("pm_new", null))));
    stripeStub.stubFor(post(urlEqualTo("/v1/customers")).inScenario("attach").willSetStateTo("attached")
        .willReturn(json(200, "{\"id\": \"cus_new\", \"object\": \"customer\", \"livemode\": false}")));
    stripeStub.stubFor(get(urlEqualTo("/v1/payment_methods/pm_new")).inScenario("attach").whenScenarioStateIs("attached")
        .willReturn(json(200, paymentMethod("pm_new", "cus_new"))));
    stripeStub.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, intent("pi_5", "succeeded"))));

    var first = processor.charge(new Charge("c-2:2027-03-01:SCHEDULED:0", "pm_new", 3000, "d", false, NOW));
    var second = processor.charge(new Charge("c-2:2027-04-01:SCHEDULED:0", "pm_new", 3000, "d", false, NOW));

    assertThat(first).isEqualTo(new Result.Succeeded("pi_5"));
    assertThat(second).isEqualTo(new Result.Succeeded("pi_5"));
    stripeStub.verify(1, postRequestedFor(urlEqualTo("/v1/customers")).withHeader("Idempotency-Key", equalTo("customer:pm_new"))
        .withRequestBody(equalTo("payment_method=pm_new")));
    stripeStub.verify(2, postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("customer=cus_new"))
        .withRequestBody(containing("payment_method=pm_new")));
  }

  /**
   * A PaymentMethod the donation form already used without a customer cannot be attached any more:
   * Stripe's invalid-request error is the processor's (a configuration to mend), not the card's.
   */
  @Test
  void aPaymentMethodAlreadyUsedWithoutACustomerIsAProcessorErrorNotADecline() {
    stripeStub.stubFor(get(urlEqualTo("/v1/payment_methods/pm_used")).willReturn(json(200, paymentMethod("pm_used", null))));
    stripeStub.stubFor(post(urlEqualTo("/v1/customers")).willReturn(json(400, """
        {"error": {"type": "invalid_request_error", "param": "payment_method", "message": "The provided PaymentMethod was \
        previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer \
        attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must \
        attach it to a Customer first."}}""")));

    var result = processor.charge(new Charge("c-3:2027-03-01:SCHEDULED:0", "pm_used", 3000, "d", false, NOW));

    assertThat(result).isInstanceOfSatisfying(Result.Declined.class, d -> {
      assertThat(d.failureClass()).isEqualTo(FailureClass.PROCESSOR_ERROR);
      assertThat(d.message()).contains("may not be used again");
    });
    assertThat(stripeStub.findAll(postRequestedFor(urlEqualTo(PATH)))).as("never charged bare").isEmpty();
  }

  /**
   * The stubs refuse what Stripe refuses: a parameter its OpenAPI description does not know, a
   * required one missing, a value of the wrong type, a URL it does not have, and an off-session
   * confirm that might need a redirect. Sent here on purpose, past the adapter.
   */
  @Test
  void theStubRefusesWhatStripesOpenApiDescriptionRefuses() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var sent = new java.util.ArrayList<Integer>();
    for (var body : java.util.List.of("amount=3000&currency=jpy&payment_method_types%5B0%5D=card&colour=blue",
        "amount=3000&payment_method_types%5B0%5D=card", "amount=3000&currency=jpy&confirm=maybe",
        "amount=3000&currency=jpy&metadata%5Battempt_id%5D=a&payment_method_options%5Bcard%5D%5Bcolour%5D=blue",
        "amount=3000&currency=jpy&confirm=true&off_session=true&payment_method=pm_1&customer=cus_1")) {
      sent.add(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stripeStub.baseUrl() + PATH))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
    }
    sent.add(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stripeStub.baseUrl() + PATH
        + "?customer=cus_1&created%5Bgte%5D=yesterday")).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
    sent.add(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stripeStub.baseUrl() + "/v1/charge_everyone"))
        .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());

    assertThat(sent).containsExactly(400, 400, 400, 400, 400, 400, 404);
    assertThat(stripeApi.takeRefusals()).extracting(StripeApiCheck.Refusal::code, StripeApiCheck.Refusal::param).containsExactly(
        tuple("parameter_unknown", "colour"),
        tuple("parameter_missing", "currency"),
        tuple(null, "confirm"),
        tuple("parameter_unknown", "payment_method_options[card][colour]"),
        tuple(null, "return_url"),
        tuple("parameter_invalid_integer", "created[gte]"),
        tuple(null, null));
  }

  @Test
  void declineCodesAreSortedIntoSoftAndHardDeclines() {
    stripeStub.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo("soft"))
        .willReturn(json(402, cardError("card_declined", "insufficient_funds"))));
    stripeStub.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo("hard"))
        .willReturn(json(402, cardError("expired_card", null))));
    stripeStub.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo("advised"))
        .willReturn(json(402, cardError("card_declined", "insufficient_funds").replace("\"message\"",
            "\"advice_code\": \"do_not_try_again\", \"message\""))));
    stripeStub.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo("authenticate"))
        .willReturn(json(402, cardError("authentication_required", "authentication_required"))));

    assertThat(processor.charge(new Charge("soft", "pm_1", 3000, "d", false, NOW)))
        .isInstanceOfSatisfying(Result.Declined.class, d -> {
          assertThat(d.code()).isEqualTo("insufficient_funds");
          assertThat(d.failureClass()).isEqualTo(FailureClass.SOFT_DECLINE);
        });
    assertThat(processor.charge(new Charge("hard", "pm_1", 3000, "d", false, NOW)))
        .isInstanceOfSatisfying(Result.Declined.class, d -> {
          assertThat(d.code()).isEqualTo("expired_card");
          assertThat(d.failureClass()).isEqualTo(FailureClass.HARD_DECLINE);
        });
    assertThat(processor.charge(new Charge("advised", "pm_1", 3000, "d", false, NOW))).as("the issuer's advice wins")
        .isInstanceOfSatisfying(Result.Declined.class, d -> assertThat(d.failureClass()).isEqualTo(FailureClass.HARD_DECLINE));
    assertThat(processor.charge(new Charge("authenticate", "pm_1", 3000, "d", false, NOW))).as("no off-session retry can authenticate")
        .isInstanceOfSatisfying(Result.Declined.class, d -> assertThat(d.failureClass()).isEqualTo(FailureClass.HARD_DECLINE));
  }

  @Test
  void noAnswerInTimeOrAStripeErrorLeavesTheOutcomeUnknown() {
    stripeStub.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo("slow"))
        .willReturn(json(200, intent("pi_2", "succeeded")).withFixedDelay(3_000)));
    stripeStub.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo("broken"))
        .willReturn(json(500, "{\"error\":{\"type\":\"api_error\",\"message\":\"Something went wrong\"}}")));

    assertThat(processor.charge(new Charge("slow", "pm_1", 3000, "d", false, NOW))).isInstanceOf(Result.Unknown.class);
    assertThat(processor.charge(new Charge("broken", "pm_1", 3000, "d", false, NOW))).isInstanceOf(Result.Unknown.class);
  }

  /**
   * Stripe documents that Search is not for read-after-write and may lag during incidents, when
   * outcomes are unknown. Inside Stripe's idempotency window the create is replayed with the same
   * key and parameters: Stripe answers what it did the first time (a success, or the decline).
   */
  @Test
  void anAttemptInFlightIsReconciledByReplayingItsCreateUnderTheSameKeyNeverBySearching() {
    stripeStub.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo("c-1:2027-03-01:SCHEDULED:0"))
        .willReturn(json(200, intent("pi_3", "succeeded")).withHeader("Idempotent-Replayed", "true")));
    stripeStub.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo("declined"))
        .willReturn(json(402, cardError("card_declined", "insufficient_funds"))));

    var found = processor.lookup(claimed("c-1:2027-03-01:SCHEDULED:0", "pm_1", NOW.minus(Duration.ofMinutes(5))));
    var declined = processor.lookup(claimed("declined", "pm_1", NOW.minus(Duration.ofHours(20))));

    assertThat(found).isEqualTo(new Result.Succeeded("pi_3"));
    assertThat(declined).isEqualTo(new Result.Declined("insufficient_funds", FailureClass.SOFT_DECLINE, "Your card was declined."));
    stripeStub.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo("c-1:2027-03-01:SCHEDULED:0"))
        .withRequestBody(containing("metadata[attempt_id]=c-1%3A2027-03-01%3ASCHEDULED%3A0")).withRequestBody(containing("amount=3000")));
    assertThat(stripeStub.findAll(getRequestedFor(urlPathEqualTo(PATH + "/search")))).as("never a search").isEmpty();
  }

  /** The first request is still executing at Stripe: nothing is saved for the key yet, so nothing is known. */
  @Test
  void aReplayThatMeetsTheFirstRequestStillRunningLeavesTheOutcomeUnknown() {
    stripeStub.stubFor(post(urlEqualTo(PATH)).willReturn(json(409,
        "{\"error\": {\"type\": \"idempotency_error\", \"message\": \"There is currently another in-progress request using this Stripe token.\"}}")));

    assertThat(processor.lookup(claimed("running", "pm_1", NOW.minus(Duration.ofMinutes(1))))).isInstanceOf(Result.Unknown.class);
  }

  /**
   * A reconciliation decides only from what Stripe says of the payment: a read before the replay
   * that fails (the card detached or deleted since the charge, the key refused) leaves the outcome
   * unknown, never declined, as the money may have been taken.
   */
  @Test
  void aReconciliationWhoseReadsFailBeforeTheReplayStaysUnknownNeverDeclined() {
    stripeStub.stubFor(get(urlEqualTo("/v1/payment_methods/pm_detached")).willReturn(json(200, paymentMethod("pm_detached", null))));
    stripeStub.stubFor(post(urlEqualTo("/v1/customers")).willReturn(json(400,
        "{\"error\": {\"type\": \"invalid_request_error\", \"message\": \"The provided PaymentMethod was previously used with a"
            + " PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached"
            + " from a Customer. It may not be used again.\"}}")));
    stripeStub.stubFor(get(urlEqualTo("/v1/payment_methods/pm_deleted")).willReturn(json(404,
        "{\"error\": {\"type\": \"invalid_request_error\", \"code\": \"resource_missing\", \"param\": \"payment_method\","
            + " \"message\": \"No such PaymentMethod: 'pm_deleted'\"}}")));
    stripeStub.stubFor(post(urlEqualTo(PATH)).withHeader("Idempotency-Key", equalTo("no-permission")).willReturn(json(403,
        "{\"error\": {\"type\": \"invalid_request_error\", \"message\": \"The provided key 'rk_test_***' does not have the required"
            + " permissions for this endpoint on account 'acct_1'.\"}}")));

    var recent = NOW.minus(Duration.ofMinutes(10));
    assertThat(processor.lookup(claimed("detached", "pm_detached", recent))).isInstanceOf(Result.Unknown.class);
    assertThat(processor.lookup(claimed("deleted", "pm_deleted", recent))).isInstanceOf(Result.Unknown.class);
    assertThat(processor.lookup(claimed("no-permission", "cus_1/pm_1", recent))).isInstanceOf(Result.Unknown.class);
    stripeApi.takeRefusals(); // the answer of a PaymentMethod used once, as Stripe gives it
  }

  /**
   * An attempt an earlier version sent with other parameters (no customer, no payment method
   * types): its replay is refused by Stripe for the parameters, so it is read by the customer's
   * payments instead, found, and not taken for still running.
   */
  @Test
  void aKeyFirstUsedWithOtherParametersIsReadNotReplayed() {
    stripeStub.stubFor(post(urlEqualTo(PATH)).willReturn(json(400,
        "{\"error\": {\"type\": \"idempotency_error\", \"message\": \"Keys for idempotent requests can only be used with the same"
            + " parameters they were first used with. Try using a key other than 'earlier' if you meant to execute a different request.\"}}")));
    stripeStub.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("customer", equalTo("cus_1"))
        .willReturn(json(200, "{\"object\": \"list\", \"url\": \"/v1/payment_intents\", \"has_more\": false, \"data\": ["
            + intentFor("pi_7", "succeeded", "earlier") + "]}")));

    assertThat(processor.lookup(claimed("earlier", "cus_1/pm_1", NOW.minus(Duration.ofHours(2))))).isEqualTo(new Result.Succeeded("pi_7"));
  }

  /**
   * Two attempts attach the same bare card at once (one supporter, two contracts): Stripe answers
   * the second 409 while the first runs under the key; nothing is charged and it is tried again.
   */
  @Test
  void aChargeMeetingAnotherAttachingTheSameCardIsUnknownForNow() {
    stripeStub.stubFor(get(urlEqualTo("/v1/payment_methods/pm_shared")).willReturn(json(200, paymentMethod("pm_shared", null))));
    stripeStub.stubFor(post(urlEqualTo("/v1/customers")).willReturn(json(409,
        "{\"error\": {\"type\": \"idempotency_error\", \"message\": \"There is currently another in-progress request using this"
            + " Stripe token (probably means you tried to use the same idempotency key twice).\"}}")));

    assertThat(processor.charge(new Charge("c-4:2027-03-01:SCHEDULED:0", "pm_shared", 3000, "d", false, NOW)))
        .isInstanceOf(Result.Unknown.class);
    assertThat(stripeStub.findAll(postRequestedFor(urlEqualTo(PATH)))).isEmpty();
  }

  /**
   * Past Stripe's idempotency window a replay could charge again (the key may be pruned), so it is
   * never made: the customer's PaymentIntents around the claim are listed (a strongly consistent
   * read) and the one carrying the attempt id is the answer; none there means never charged.
   * A bare token is listed by the customer it is attached to, which may have come after the attempt:
   * found there is the answer, not there (or no customer) leaves the outcome unknown, reported.
   */
  @Test
  void pastTheIdempotencyWindowTheCustomersPaymentIntentsAreListedAndNothingIsCreated() {
    var claimedAt = NOW.minus(Duration.ofDays(2));
    stripeStub.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("customer", equalTo("cus_1"))
        .willReturn(json(200, "{\"object\": \"list\", \"url\": \"/v1/payment_intents\", \"has_more\": false, \"data\": ["
            + intentFor("pi_9", "succeeded", "another-attempt") + ", " + intentFor("pi_4", "succeeded", "c-1:2027-03-01:MANUAL_RETRY:4")
            + "]}")));

    var found = processor.lookup(claimed("c-1:2027-03-01:MANUAL_RETRY:4", "cus_1/pm_1", claimedAt));
    var missing = processor.lookup(claimed("c-1:2027-03-01:MANUAL_RETRY:5", "cus_1/pm_1", claimedAt));
    stripeStub.stubFor(get(urlEqualTo("/v1/payment_methods/pm_loose")).willReturn(json(200, paymentMethod("pm_loose", null))));
    var noCustomer = processor.lookup(claimed("c-1:2027-03-01:MANUAL_RETRY:6", "pm_loose", claimedAt));
    var attached = processor.lookup(claimed("c-1:2027-03-01:MANUAL_RETRY:4", "pm_1", claimedAt));

    assertThat(found).isEqualTo(new Result.Succeeded("pi_4"));
    assertThat(missing).isInstanceOf(Result.NotFound.class);
    assertThat(noCustomer).isInstanceOf(Result.Unknown.class);
    assertThat(attached).as("a bare token, by the customer it is attached to").isEqualTo(new Result.Succeeded("pi_4"));
    assertThat(processor.lookup(claimed("c-1:2027-03-01:MANUAL_RETRY:7", "pm_1", claimedAt)))
        .as("a bare token's customer may postdate the attempt: not there proves nothing").isInstanceOf(Result.Unknown.class);
    assertThat(stripeStub.findAll(postRequestedFor(urlEqualTo(PATH)))).as("nothing created").isEmpty();
    stripeStub.verify(getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("customer", equalTo("cus_1"))
        .withQueryParam("created[gte]", equalTo(String.valueOf(claimedAt.minus(Duration.ofHours(1)).getEpochSecond()))));
  }

  private static Charge claimed(String attemptId, String token, Instant at) {
    return new Charge(attemptId, token, 3000, "d", false, at);
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

  /** Stripe documents a refund as pending until it succeeds or fails (funds returned to the balance, not the card). */
  @Test
  void aPendingRefundIsFollowedByItsIdUntilStripeSaysHowItEnded() {
    stripeStub.stubFor(post(urlEqualTo("/v1/refunds")).willReturn(json(200,
        "{\"id\": \"re_2\", \"object\": \"refund\", \"amount\": 3000, \"currency\": \"jpy\", \"status\": \"pending\"}")));
    stripeStub.stubFor(get(urlEqualTo("/v1/refunds/re_2")).willReturn(json(200,
        "{\"id\": \"re_2\", \"object\": \"refund\", \"amount\": 3000, \"currency\": \"jpy\", \"status\": \"failed\","
            + " \"failure_reason\": \"expired_or_canceled_card\"}")));
    var refund = new PaymentProcessor.Refund("refund:c-1:2027-03-01:MANUAL_RETRY:4", "pi_1", 3000, false);

    assertThat(processor.refund(refund)).isEqualTo(new Result.Pending("re_2"));
    assertThat(processor.refundOutcome(refund, "re_2")).isEqualTo(
        new Result.Declined("expired_or_canceled_card", FailureClass.PROCESSOR_ERROR, "refund re_2 failed"));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withHeader("Request-Id", "req_1").withBody(body);
  }

  private static String paymentMethod(String id, String customer) {
    return """
        {"id": "%s", "object": "payment_method", "type": "card", "livemode": false, "customer": %s,
         "card": {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030}}"""
        .formatted(id, customer == null ? "null" : "\"" + customer + "\"");
  }

  private static String intent(String id, String status) {
    return """
        {"id": "%s", "object": "payment_intent", "amount": 3000, "currency": "jpy", "status": "%s",
         "confirmation_method": "automatic", "livemode": false, "metadata": {}}""".formatted(id, status);
  }

  private static String intentFor(String id, String status, String attemptId) {
    return """
        {"id": "%s", "object": "payment_intent", "amount": 3000, "currency": "jpy", "status": "%s",
         "confirmation_method": "automatic", "livemode": false, "metadata": {"attempt_id": "%s"}}""".formatted(id, status, attemptId);
  }

  private static String cardError(String code, String declineCode) {
    return """
        {"error": {"type": "card_error", "code": "%s", %s "message": "Your card was declined.",
         "payment_intent": {"id": "pi_x", "object": "payment_intent", "status": "requires_payment_method"}}}"""
        .formatted(code, declineCode == null ? "" : "\"decline_code\": \"" + declineCode + "\",");
  }
}
