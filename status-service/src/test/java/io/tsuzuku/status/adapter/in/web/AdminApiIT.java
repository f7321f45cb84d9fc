package io.tsuzuku.status.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.status.application.Backtest;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.status.application.RefundOwed;
import io.tsuzuku.status.application.port.RefundsOwed;
import io.tsuzuku.standins.LocalTokens;
import io.tsuzuku.status.domain.Attempt;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Supporter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Every admin endpoint: success, bad input (which changes nothing), another organisation's token. */
@WithEmbeddedInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S") // a cold context on a busy 2-core CI machine can be slow to answer first
class AdminApiIT {

  private static final LocalDate PERIOD = LocalDate.of(2026, 11, 1);

  @Autowired WebTestClient web;
  @org.springframework.boot.test.web.server.LocalServerPort int port;
  @Autowired ContractEvents contracts;
  @Autowired RefundsOwed refunds;

  private String org;
  private String errorId;
  private String activeId;

  @BeforeEach
  void anOrganisationWithAContractInErrorAndAnActiveOne() {
    org = "org-" + UUID.randomUUID();
    errorId = "c-err-" + UUID.randomUUID();
    activeId = "c-act-" + UUID.randomUUID();
    var registeredAt = Instant.now().minus(Duration.ofDays(500));
    register(activeId, registeredAt);
    register(errorId, registeredAt);
    var failedAt = Instant.now().minus(Duration.ofDays(400));
    contracts.apply(errorId, new ContractEvent.PaymentFailed("f-" + errorId, failedAt,
        new Attempt(errorId + ":" + PERIOD + ":SCHEDULED:0", PERIOD, ChargeKind.SCHEDULED, 0), 3000,
        new Failure("card_velocity_exceeded", "SOFT_DECLINE", failedAt)));
    contracts.apply(errorId, new ContractEvent.RetriesExhausted("x-" + errorId, failedAt.plus(Duration.ofDays(21)), PERIOD));
    // the tests run at any hour of the real clock: this organisation writes to its supporters at night too
    put("/contact-policy", "{\"maxContacts\":2,\"windowDays\":30,\"quietFrom\":\"12:00\",\"quietUntil\":\"12:00\"}")
        .expectStatus().isOk();
  }

  @Test
  void anOrganisationsContactPolicyIsReadAndReplacedAndBadOnesAreRefused() {
    get("/contact-policy").expectStatus().isOk().expectBody().jsonPath("$.maxContacts").isEqualTo(2)
        .jsonPath("$.quietFrom").isEqualTo("12:00").jsonPath("$.quietUntil").isEqualTo("12:00");
    put("/contact-policy", "{\"maxContacts\":1,\"windowDays\":14,\"quietFrom\":\"20:00\",\"quietUntil\":\"08:30\"}")
        .expectStatus().isOk();
    get("/contact-policy").expectBody().jsonPath("$.maxContacts").isEqualTo(1).jsonPath("$.windowDays").isEqualTo(14)
        .jsonPath("$.quietUntil").isEqualTo("08:30").jsonPath("$.requestOnFirstFailure").isEqualTo(false);

    problem(put("/contact-policy", "{\"maxContacts\":0,\"windowDays\":14,\"quietFrom\":\"20:00\",\"quietUntil\":\"08:30\"}"),
        HttpStatus.BAD_REQUEST, "INVALID_CONTACT_POLICY");
    problem(put("/contact-policy", "{\"maxContacts\":1,\"windowDays\":14,\"quietFrom\":\"8pm\",\"quietUntil\":\"08:30\"}"),
        HttpStatus.BAD_REQUEST, "INVALID_CONTACT_POLICY");
    problem(put("/contact-policy", "{\"maxContacts\":1}"), HttpStatus.BAD_REQUEST, "INVALID_CONTACT_POLICY");
    get("/contact-policy").expectBody().jsonPath("$.maxContacts").isEqualTo(1);
  }

  /**
   * An organisation that asks for it: a contract's first failure sends the supporter a re-payment
   * request by itself, once, with the service as its actor; the contract in ERROR, whose first
   * failure is long past, gets none.
   */
  @Test
  void aFirstFailureSendsARepaymentRequestByItselfWhereTheOrganisationAsksForIt() {
    put("/contact-policy", "{\"maxContacts\":2,\"windowDays\":30,\"quietFrom\":\"12:00\",\"quietUntil\":\"12:00\","
        + "\"requestOnFirstFailure\":true}").expectStatus().isOk().expectBody().jsonPath("$.requestOnFirstFailure").isEqualTo(true);
    var failedAt = Instant.now();
    var period = LocalDate.now(java.time.ZoneOffset.UTC).withDayOfMonth(1);
    contracts.apply(activeId, new ContractEvent.PaymentFailed("f-" + activeId, failedAt,
        new Attempt(activeId + ":" + period + ":SCHEDULED:0", period, ChargeKind.SCHEDULED, 0), 3000,
        new Failure("insufficient_funds", "SOFT_DECLINE", failedAt)));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> get("/contracts/" + activeId).expectBody()
        .jsonPath("$.repaymentRequestsSent").isEqualTo(1)
        .jsonPath("$.history[?(@.event == 'REPAYMENT_REQUESTED')].actor").isEqualTo(List.of("first-failure notice")));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> get("/contracts/" + activeId)
        .expectBody().jsonPath("$.repaymentRequestsSent").isEqualTo(1));
    get("/contracts/" + errorId).expectBody().jsonPath("$.repaymentRequestsSent").isEqualTo(0);
    // a client that knows the four first fields only leaves the organisation's choice as it was
    put("/contact-policy", "{\"maxContacts\":3,\"windowDays\":30,\"quietFrom\":\"12:00\",\"quietUntil\":\"12:00\"}")
        .expectStatus().isOk().expectBody().jsonPath("$.requestOnFirstFailure").isEqualTo(true);
  }

  /**
   * A re-payment request by the API: the dry run and the call agree, the contract counts it, and
   * with the budget at one a final notice to the same supporter is held back with its reason.
   */
  @Test
  void aRepaymentRequestIsSentOnceAndTheSupportersBudgetHoldsBackWhatFollows() {
    put("/contact-policy", "{\"maxContacts\":1,\"windowDays\":30,\"quietFrom\":\"12:00\",\"quietUntil\":\"12:00\"}")
        .expectStatus().isOk();
    var body = "{\"contractIds\":[\"" + errorId + "\",\"" + activeId + "\"]";

    post("/repayment-requests", body + ",\"dryRun\":true}", null).expectStatus().isOk().expectBody()
        .jsonPath("$.items[0].outcome").isEqualTo("SENT").jsonPath("$.items[1].reason").isEqualTo("NOT_ALLOWED_IN_ACTIVE");
    post("/repayment-requests", body + "}", "request-1").expectStatus().isOk().expectBody()
        .jsonPath("$.summary.SENT").isEqualTo(1).jsonPath("$.summary.REFUSED").isEqualTo(1);
    post("/repayment-requests", body + "}", "request-1").expectStatus().isOk().expectBody().jsonPath("$.summary.SENT").isEqualTo(1);
    post("/final-notices", "{\"contractIds\":[\"" + errorId + "\"]}", null).expectStatus().isOk().expectBody()
        .jsonPath("$.items[0].outcome").isEqualTo("HELD_BACK").jsonPath("$.items[0].reason").isEqualTo("CONTACT_BUDGET");

    get("/contracts/" + errorId).expectBody().jsonPath("$.repaymentRequestsSent").isEqualTo(1)
        .jsonPath("$.lastFinalNoticeOn").doesNotExist()
        .jsonPath("$.history[?(@.event == 'REPAYMENT_REQUESTED')].actor").isEqualTo(List.of("admin@" + org));
  }

  @Test
  void listingFiltersPagesWithACursorAndShowsLabels() {
    get("/contracts?status=ERROR").expectStatus().isOk().expectBody()
        .jsonPath("$.items.length()").isEqualTo(1)
        .jsonPath("$.items[0].contractId").isEqualTo(errorId)
        .jsonPath("$.items[0].statusLabel").isEqualTo("エラー")
        .jsonPath("$.items[0].lastFailure.code").isEqualTo("card_velocity_exceeded");
    get("/contracts?errorFor=P1Y").expectStatus().isOk().expectBody().jsonPath("$.items[0].contractId").isEqualTo(errorId);
    get("/contracts?errorFor=P2Y").expectStatus().isOk().expectBody().jsonPath("$.items.length()").isEqualTo(0);

    var first = get("/contracts?limit=1").expectStatus().isOk().expectBody(ContractRow.Page.class).returnResult().getResponseBody();
    var second = get("/contracts?limit=1&cursor=" + first.nextCursor()).expectStatus().isOk().expectBody(ContractRow.Page.class).returnResult().getResponseBody();
    assertThat(List.of(first.items().get(0).contractId(), second.items().get(0).contractId()))
        .containsExactlyInAnyOrder(errorId, activeId);
    assertThat(second.nextCursor()).isNull();
  }

  @Test
  void listingRefusesMalformedFiltersAndForeignTokens() {
    problem(get("/contracts?status=PAUSED"), HttpStatus.BAD_REQUEST, "INVALID_STATUS");
    problem(get("/contracts?errorFor=one-year"), HttpStatus.BAD_REQUEST, "INVALID_DURATION");
    problem(get("/contracts?errorSinceBefore=2026-13-01"), HttpStatus.BAD_REQUEST, "INVALID_DATE");
    problem(get("/contracts?limit=0"), HttpStatus.BAD_REQUEST, "INVALID_LIMIT");
    problem(get("/contracts?cursor=%%%"), HttpStatus.BAD_REQUEST, "INVALID_CURSOR");
    problem(web.get().uri("/api/orgs/" + org + "/contracts").headers(h -> h.setBearerAuth(token("org-other"))).exchange(),
        HttpStatus.NOT_FOUND, "CONTRACT_NOT_FOUND");
  }

  @Test
  void theExportIsExcelReadyCsvThatParsesBack() throws Exception {
    var bytes = get("/contracts/export.csv?status=ERROR").expectStatus().isOk()
        .expectHeader().contentTypeCompatibleWith(new MediaType("text", "csv"))
        .expectBody(byte[].class).returnResult().getResponseBody();
    var text = new String(bytes, StandardCharsets.UTF_8);

    assertThat(text).startsWith("\uFEFF");
    assertThat(text).contains("\r\n");
    var records = CSVFormat.EXCEL.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(text.substring(1))).getRecords();
    assertThat(records).hasSize(1);
    assertThat(records.get(0).get("支援者名")).isEqualTo("山田, \"花子\"");
    assertThat(records.get(0).get("メールアドレス")).isEqualTo("hanako@example.org");
    assertThat(records.get(0).get("ステータス")).isEqualTo("エラー");
    assertThat(records.get(0).get("最終失敗コード")).isEqualTo("card_velocity_exceeded");
  }

  @Test
  void aBulkManualRetryAnswersPerContractAndRepeatsByIdempotencyKey() {
    var retryOn = LocalDate.now(ZoneId.of("Asia/Tokyo")).plusDays(3);
    var body = "{\"contractIds\":[\"" + errorId + "\",\"" + activeId + "\",\"c-nobody\"],\"retryOn\":\"" + retryOn + "\"}";

    var first = post("/manual-retries", body, "key-1").expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    var again = post("/manual-retries", body, "key-1").expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

    assertThat(first).contains("\"contractId\":\"" + errorId + "\",\"outcome\":\"SCHEDULED\"")
        .contains("\"reason\":\"NOT_IN_ERROR\"").contains("\"reason\":\"UNKNOWN_CONTRACT\"");
    assertThat(again).isEqualTo(first);
    problem(post("/manual-retries", body.replace(retryOn.toString(), retryOn.plusDays(1).toString()), "key-1"),
        HttpStatus.UNPROCESSABLE_CONTENT, "IDEMPOTENCY_KEY_REUSED");
    get("/contracts/" + errorId).expectBody().jsonPath("$.pendingManualRetry.retryOn").isEqualTo(retryOn.toString());

    web.delete().uri("/api/orgs/" + org + "/contracts/" + errorId + "/manual-retry").headers(h -> h.setBearerAuth(token(org))).exchange()
        .expectStatus().isOk().expectBody().jsonPath("$.outcome").isEqualTo("WITHDRAWN");
    get("/contracts/" + errorId).expectBody().jsonPath("$.pendingManualRetry").doesNotExist();
  }

  @Test
  void malformedBulkRequestsAreRefusedAndChangeNothing() {
    problem(post("/manual-retries", "{\"contractIds\":[", null), HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST");
    problem(post("/manual-retries", "{\"contractIds\":[{\"$ne\":null}],\"retryOn\":\"2030-01-01\"}", null), HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST");
    problem(post("/manual-retries", "{\"contractIds\":[\"" + errorId + "\"],\"retryOn\":\"tomorrow\"}", null), HttpStatus.BAD_REQUEST, "INVALID_DATE");
    problem(post("/manual-retries", "{\"retryOn\":\"2030-01-01\"}", null), HttpStatus.BAD_REQUEST, "SELECTION_REQUIRED");
    problem(post("/cancellations", "{\"contractIds\":[]}", null), HttpStatus.BAD_REQUEST, "REASON_REQUIRED");
    problem(post("/cancellations", "{\"contractIds\":[],\"reason\":\"r\"}", null), HttpStatus.BAD_REQUEST, "EMPTY_SELECTION");
    var tooMany = IntStream.range(0, 10_001).mapToObj(i -> "\"c-" + i + "\"").toList();
    problem(post("/cancellations", "{\"contractIds\":[" + String.join(",", tooMany) + "],\"reason\":\"r\"}", null),
        HttpStatus.CONTENT_TOO_LARGE, "BULK_TOO_LARGE");

    get("/contracts/" + errorId).expectBody().jsonPath("$.status").isEqualTo("ERROR").jsonPath("$.pendingManualRetry").doesNotExist();
  }

  @Test
  void finalNoticesAndCancellationsWithDryRunsAndForeignTokens() {
    var ids = "{\"contractIds\":[\"" + errorId + "\"]";
    post("/final-notices", ids + ",\"dryRun\":true}", null).expectStatus().isOk().expectBody()
        .jsonPath("$.dryRun").isEqualTo(true).jsonPath("$.items[0].outcome").isEqualTo("SENT");
    get("/contracts/" + errorId).expectBody().jsonPath("$.lastFinalNoticeOn").doesNotExist();

    post("/final-notices", "{\"filter\":{\"status\":\"ERROR\",\"errorFor\":\"P1Y\"}}", null).expectStatus().isOk().expectBody()
        .jsonPath("$.items[0].contractId").isEqualTo(errorId).jsonPath("$.summary.SENT").isEqualTo(1);
    post("/final-notices", ids + "}", null).expectStatus().isOk().expectBody().jsonPath("$.items[0].reason").isEqualTo("RECENTLY_NOTIFIED");

    web.post().uri("/api/orgs/" + org + "/cancellations").headers(h -> h.setBearerAuth(token("org-other")))
        .contentType(MediaType.APPLICATION_JSON).bodyValue(ids + ",\"reason\":\"x\"}").exchange().expectStatus().isNotFound();
    post("/cancellations", ids + ",\"reason\":\"no answer to the final notice\"}", null).expectStatus().isOk().expectBody()
        .jsonPath("$.items[0].outcome").isEqualTo("CANCELLED");
    get("/contracts/" + errorId).expectBody().jsonPath("$.status").isEqualTo("CANCELLED")
        .jsonPath("$.cancellationReason").isEqualTo("no answer to the final notice");
  }

  @Test
  void theRecoveryReportCountsRecoveriesOutOfError() {
    contracts.apply(errorId, new ContractEvent.PaymentSucceeded("ok-" + errorId, Instant.now(),
        new Attempt(errorId + ":" + PERIOD + ":SUPPORTER_REPAYMENT:0", PERIOD, ChargeKind.SUPPORTER_REPAYMENT, 0), 3000));
    var today = LocalDate.now(ZoneId.of("Asia/Tokyo"));

    await().untilAsserted(() ->
        get("/reports/recovery?from=" + today.minusDays(1) + "&to=" + today).expectStatus().isOk().expectBody()
            .jsonPath("$.rows[0].recoveredFrom").isEqualTo("ERROR")
            .jsonPath("$.rows[0].path").isEqualTo("SUPPORTER_REPAYMENT")
            .jsonPath("$.amountYen").isEqualTo(3000));
    problem(get("/reports/recovery?from=yesterday&to=" + today), HttpStatus.BAD_REQUEST, "INVALID_DATE");
  }

  @Test
  void recoveryAnalyticsAnswerInJsonAndInCsvForThePeriodTheFailureBeganIn() throws Exception {
    contracts.apply(errorId, new ContractEvent.PaymentSucceeded("ok-" + errorId, Instant.now(),
        new Attempt(errorId + ":" + PERIOD + ":SUPPORTER_REPAYMENT:0", PERIOD, ChargeKind.SUPPORTER_REPAYMENT, 0), 3000));
    var today = LocalDate.now(ZoneId.of("Asia/Tokyo"));
    // the analytics are kept for the day: asked once the recovery is in the history
    await().untilAsserted(() -> get("/reports/recovery?from=" + today.minusDays(1) + "&to=" + today).expectBody()
        .jsonPath("$.contracts").isEqualTo(1));
    var period = "?from=" + today.minusDays(401) + "&to=" + today.minusDays(399);

    get("/reports/recovery-analytics" + period).expectStatus().isOk().expectBody()
        .jsonPath("$.total.failed").isEqualTo(1)
        .jsonPath("$.total.recovered").isEqualTo(1)
        .jsonPath("$.byDeclineCode[0].key").isEqualTo("card_velocity_exceeded")
        .jsonPath("$.byDeclineClass[0].key").isEqualTo("SOFT_DECLINE")
        .jsonPath("$.byPath[0].key").isEqualTo("SUPPORTER_REPAYMENT")
        .jsonPath("$.byMonthsInError[0].key").isEqualTo("OVER_12_MONTHS")
        .jsonPath("$.cohorts[0].recoveredWithin[4].months").isEqualTo(12);
    get("/reports/recovery-analytics?from=" + today.minusDays(398) + "&to=" + today).expectStatus().isOk().expectBody()
        .jsonPath("$.total.failed").isEqualTo(0)
        .jsonPath("$.cohorts.length()").isEqualTo(0);

    var csv = get("/reports/recovery-analytics.csv" + period).expectStatus().isOk()
        .expectHeader().contentTypeCompatibleWith(new MediaType("text", "csv"))
        .expectBody(byte[].class).returnResult().getResponseBody();
    var records = CSVFormat.EXCEL.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(new String(csv, StandardCharsets.UTF_8).substring(1))).getRecords();
    assertThat(records).filteredOn(r -> r.get("区分").equals("拒否コード"))
        .singleElement().satisfies(r -> {
          assertThat(r.get("項目")).isEqualTo("card_velocity_exceeded");
          assertThat(r.get("失敗")).isEqualTo("1");
          assertThat(r.get("回復率")).isEqualTo("1.0");
        });
    assertThat(records).filteredOn(r -> r.get("区分").equals("初回失敗月")).singleElement()
        .satisfies(r -> assertThat(r.get("12か月以内の回復率")).isEqualTo("0.0"));
    problem(get("/reports/recovery-analytics?from=" + today + "&to=" + today.minusDays(1)), HttpStatus.BAD_REQUEST, "INVALID_PERIOD");
    problem(get("/reports/recovery-analytics.csv?from=last-year&to=" + today), HttpStatus.BAD_REQUEST, "INVALID_DATE");
  }

  @Test
  void aBacktestStartsInTheBackgroundAndIsReadBackDoneWithBothSidesAndTheModel() {
    var today = LocalDate.now(ZoneId.of("Asia/Tokyo"));
    var body = "{\"from\":\"" + today.minusDays(401) + "\",\"to\":\"" + today + "\",\"policy\":{\"automaticRetries\":0}}";
    // the backtest reads the history, which the relay appends once the events are applied
    await().untilAsserted(() -> get("/contracts/" + errorId).expectBody()
        .jsonPath("$.history[?(@.event == 'RETRIES_EXHAUSTED')]").exists());
    var started = post("/backtests", body, null).expectStatus().isAccepted()
        .expectHeader().valueMatches("Location", "/api/orgs/" + org + "/backtests/[0-9a-f-]+")
        .expectBody(String.class).returnResult();
    var location = started.getResponseHeaders().getLocation().getPath();
    var id = location.substring(location.lastIndexOf('/') + 1);

    await().untilAsserted(() -> get("/backtests/" + id).expectStatus().isOk().expectBody()
        .jsonPath("$.state").isEqualTo("DONE"));
    get("/backtests/" + id).expectBody()
        .jsonPath("$.policy.automaticRetries").isEqualTo(0)
        .jsonPath("$.policy.retryIntervalDays").isEqualTo(7)
        .jsonPath("$.contractsRead").isEqualTo(1)
        .jsonPath("$.result.failures").isEqualTo(1)
        .jsonPath("$.result.actual.recovered").isEqualTo(0)
        .jsonPath("$.result.replayed.recovered").isEqualTo(0)
        .jsonPath("$.result.assumptions.length()").isEqualTo(Backtest.ASSUMPTIONS.size())
        .jsonPath("$.result.assumptions[0].code").isEqualTo("CARD_WORKS_ONCE_SEEN")
        .jsonPath("$.result.months[0].month").isEqualTo(YearMonth.from(today.minusDays(401)).toString());

    problem(post("/backtests", body.replace("\"automaticRetries\":0", "\"automaticRetries\":99"), null), HttpStatus.BAD_REQUEST,
        "INVALID_POLICY");
    problem(post("/backtests", body.replace("\"automaticRetries\":0", "\"rule\":\"SOMETIMES\""), null), HttpStatus.BAD_REQUEST,
        "INVALID_POLICY");
    problem(post("/backtests", "{\"from\":\"" + today + "\",\"to\":\"" + today.minusDays(1) + "\",\"policy\":{}}", null),
        HttpStatus.BAD_REQUEST, "INVALID_PERIOD");
    problem(post("/backtests", body.replace("\"automaticRetries\":0", "\"standingRetryDays\":[null]"), null), HttpStatus.BAD_REQUEST,
        "INVALID_POLICY");
    problem(post("/backtests", body.replace("\"automaticRetries\":0", "\"rule\":\"DEADLINE\",\"retryIntervalDays\":3"), null),
        HttpStatus.BAD_REQUEST, "INVALID_POLICY");
    problem(post("/backtests", "{\"from\":\"1900-01-01\",\"to\":\"" + today + "\",\"policy\":{}}", null),
        HttpStatus.BAD_REQUEST, "INVALID_PERIOD");
    problem(get("/reports/recovery-analytics?from=1969-12-31&to=1970-01-05"), HttpStatus.BAD_REQUEST, "INVALID_PERIOD");
    problem(get("/backtests/no-such-backtest"), HttpStatus.NOT_FOUND, "BACKTEST_NOT_FOUND");
  }

  /** A plan is kept, previewed, paused and deleted; bad plans and unknown plans are problems that change nothing. */
  @Test
  void aStandingPlanIsKeptPreviewedEditedAndDeleted() {
    var plan = "{\"name\":\"salary day\",\"schedule\":{\"kind\":\"DAY_OF_MONTH\",\"day\":25,\"time\":\"10:00\"}}";
    var created = post("/retry-plans", plan, null).expectStatus().isCreated()
        .expectHeader().valueMatches("Location", "/api/orgs/" + org + "/retry-plans/[0-9a-f-]+")
        .expectBody().jsonPath("$.name").isEqualTo("salary day")
        .jsonPath("$.schedule.time").isEqualTo("10:00")
        .jsonPath("$.paused").isEqualTo(false)
        .jsonPath("$.createdBy").isEqualTo("admin@" + org)
        .returnResult();
    var location = created.getResponseHeaders().getLocation().getPath();
    var id = location.substring(location.lastIndexOf('/') + 1);
    var today = LocalDate.now(ZoneId.of("Asia/Tokyo"));
    var next = today.getDayOfMonth() < 25 ? today.withDayOfMonth(25) : today.plusMonths(1).withDayOfMonth(25);

    get("/retry-plans").expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].planId").isEqualTo(id);
    get("/retry-plans/" + id + "/preview").expectStatus().isOk().expectBody()
        .jsonPath("$.runAt").value(at -> assertThat(Instant.parse((String) at).atZone(ZoneId.of("Asia/Tokyo")).toLocalDate())
            .isBetween(next.minusDays(1), next))
        .jsonPath("$.matched").isEqualTo(1)
        .jsonPath("$.retried").isEqualTo(1)
        .jsonPath("$.retriedYen").isEqualTo(3000)
        .jsonPath("$.items[0].contractId").isEqualTo(errorId)
        .jsonPath("$.items[0].outcome").isEqualTo("SCHEDULED");
    get("/contracts/" + errorId).expectBody().jsonPath("$.pendingManualRetry").doesNotExist();

    web.put().uri("/api/orgs/" + org + "/retry-plans/" + id).headers(h -> h.setBearerAuth(token(org)))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(plan.replace("\"day\":25", "\"day\":31").replace("}}", "},\"paused\":true,\"filter\":{\"minMonthsInError\":24}}"))
        .exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.paused").isEqualTo(true).jsonPath("$.schedule.day").isEqualTo(31).jsonPath("$.filter.minMonthsInError").isEqualTo(24);
    web.put().uri("/api/orgs/" + org + "/retry-plans/" + id).headers(h -> h.setBearerAuth(token(org)))
        .contentType(MediaType.APPLICATION_JSON).bodyValue(plan.replace("}}", "},\"filter\":{\"minMonthsInError\":24}}"))
        .exchange().expectStatus().isOk().expectBody().jsonPath("$.paused").isEqualTo(true); // left out: as it was
    get("/retry-plans/" + id + "/preview").expectBody().jsonPath("$.matched").isEqualTo(0);
    get("/retry-plans/" + id + "/runs").expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(0);
    problem(get("/retry-plans/" + id + "/runs/" + today), HttpStatus.NOT_FOUND, "RUN_NOT_FOUND");

    problem(post("/retry-plans", plan.replace("\"day\":25", "\"day\":32"), null), HttpStatus.BAD_REQUEST, "INVALID_PLAN");
    problem(post("/retry-plans", plan.replace("10:00", "25:00"), null), HttpStatus.BAD_REQUEST, "INVALID_PLAN");
    problem(post("/retry-plans", plan.replace("DAY_OF_MONTH", "FORTNIGHTLY"), null), HttpStatus.BAD_REQUEST, "INVALID_PLAN");
    problem(post("/retry-plans", "{\"name\":\"no schedule\"}", null), HttpStatus.BAD_REQUEST, "INVALID_PLAN");
    problem(post("/retry-plans", plan.replace("salary day", " "), null), HttpStatus.BAD_REQUEST, "INVALID_PLAN");
    problem(post("/retry-plans", plan.replace("\"day\":25", "\"day\":25,\"weekday\":\"FRIDAY\""), null), HttpStatus.BAD_REQUEST,
        "INVALID_PLAN");
    get("/retry-plans").expectBody().jsonPath("$.length()").isEqualTo(1);

    web.delete().uri("/api/orgs/" + org + "/retry-plans/" + id).headers(h -> h.setBearerAuth(token(org))).exchange()
        .expectStatus().isNoContent();
    problem(get("/retry-plans/" + id), HttpStatus.NOT_FOUND, "PLAN_NOT_FOUND");
    problem(web.delete().uri("/api/orgs/" + org + "/retry-plans/" + id).headers(h -> h.setBearerAuth(token(org))).exchange(),
        HttpStatus.NOT_FOUND, "PLAN_NOT_FOUND");
  }

  @Test
  void theStatusLabelsAreTheDeploymentsInTheOrderOfTheStatuses() {
    get("/status-labels").expectStatus().isOk().expectBody(String.class)
        .isEqualTo("{\"ACTIVE\":\"継続中\",\"RETRYING\":\"リトライ中\",\"ERROR\":\"エラー\",\"CANCELLED\":\"解約\"}");
  }

  @Test
  void theSummaryCountsTheOrganisationsContractsAndEachFigureNamesTheFilterThatListsThem() {
    var today = LocalDate.now(ZoneId.of("Asia/Tokyo"));
    get("/summary").expectStatus().isOk().expectBody()
        .jsonPath("$.today").isEqualTo(today.toString())
        .jsonPath("$.byStatus[?(@.status == 'ACTIVE')].contracts").isEqualTo(List.of(1))
        .jsonPath("$.byStatus[?(@.status == 'ERROR')].monthlyYen").isEqualTo(List.of(3000))
        .jsonPath("$.errorByAge[4].band").isEqualTo("OVER_12_MONTHS")
        .jsonPath("$.errorByAge[4].contracts").isEqualTo(1)
        .jsonPath("$.errorByAge[4].errorSinceBefore").isEqualTo(today.minusMonths(12).toString())
        .jsonPath("$.manualRetries.length()").isEqualTo(14);
    get("/contracts?status=ERROR&errorSinceBefore=" + today.minusMonths(12)).expectBody()
        .jsonPath("$.items[0].contractId").isEqualTo(errorId);
    get("/contracts?status=ERROR&errorSinceFrom=" + today.minusMonths(12)).expectBody()
        .jsonPath("$.items.length()").isEqualTo(0);

    var retryOn = today.plusDays(5);
    post("/manual-retries", "{\"contractIds\":[\"" + errorId + "\"],\"retryOn\":\"" + retryOn + "\"}", null).expectStatus().isOk();
    await().untilAsserted(() -> get("/summary").expectBody()
        .jsonPath("$.manualRetries[5].retryOn").isEqualTo(retryOn.toString())
        .jsonPath("$.manualRetries[5].contracts").isEqualTo(1));
    get("/contracts?manualRetryOn=" + retryOn).expectBody().jsonPath("$.items[0].contractId").isEqualTo(errorId);
    problem(get("/contracts?manualRetryOn=tomorrow"), HttpStatus.BAD_REQUEST, "INVALID_DATE");
  }

  @Test
  void aRefundOwedIsSettledOnceByAnAdministratorOfItsOrganisation() {
    var attemptId = errorId + ":" + PERIOD + ":MANUAL_RETRY:4";
    var chargedAt = Instant.now().minus(Duration.ofDays(1));
    refunds.record(RefundOwed.required(attemptId, errorId, org, PERIOD, 3000, "pi_1", chargedAt, "charged_after_cancellation", chargedAt));

    post("/refunds-required/" + attemptId + "/settlement", "{}", null).expectStatus().isOk().expectBody()
        .jsonPath("$.settledBy").isEqualTo("admin@" + org)
        .jsonPath("$.settledAt").exists();
    var first = refunds.ofOrganisation(org).get(0).settledAt();
    post("/refunds-required/" + attemptId + "/settlement", "{}", null).expectStatus().isOk();
    assertThat(refunds.ofOrganisation(org)).singleElement().satisfies(r -> assertThat(r.settledAt()).isEqualTo(first));

    problem(post("/refunds-required/" + errorId + ":none/settlement", "{}", null), HttpStatus.NOT_FOUND, "REFUND_NOT_FOUND");
    problem(web.post().uri("/api/orgs/" + org + "/refunds-required/" + attemptId + "/settlement")
        .headers(h -> h.setBearerAuth(LocalTokens.mint(LocalTokens.LOCAL_SECRET, org, "viewer@" + org, Instant.now(),
            Duration.ofMinutes(5), "contracts:read"))).exchange(), HttpStatus.FORBIDDEN, "INSUFFICIENT_SCOPE");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET, /contracts",
    "GET, /contracts/export.csv",
    "GET, /contracts/{id}",
    "DELETE, /contracts/{id}/manual-retry",
    "POST, /manual-retries",
    "POST, /final-notices",
    "POST, /repayment-requests",
    "GET, /contact-policy",
    "PUT, /contact-policy",
    "POST, /cancellations",
    "GET, /reports/recovery?from=2026-01-01&to=2026-12-31",
    "GET, /reports/manual-retries?from=2026-01-01&to=2026-12-31",
    "GET, /reports/recovery-analytics?from=2026-01-01&to=2026-12-31",
    "GET, /reports/recovery-analytics.csv?from=2026-01-01&to=2026-12-31",
    "POST, /backtests",
    "GET, /backtests/{id}",
    "POST, /retry-plans",
    "GET, /retry-plans",
    "GET, /retry-plans/{id}",
    "PUT, /retry-plans/{id}",
    "DELETE, /retry-plans/{id}",
    "GET, /retry-plans/{id}/preview",
    "GET, /retry-plans/{id}/runs",
    "GET, /retry-plans/{id}/runs/2026-11-25",
    "GET, /summary",
    "GET, /status-labels",
    "GET, /refunds-required",
    "POST, /refunds-required/{id}:2026-11-01:MANUAL_RETRY:4/settlement"
  })
  void everyEndpointAnswersAnotherOrganisationsTokenAsIfNothingWereThere(String method, String path) {
    var uri = "/api/orgs/" + org + path.replace("{id}", errorId);
    var body = "{\"contractIds\":[\"" + errorId + "\"],\"retryOn\":\"" + LocalDate.now(ZoneId.of("Asia/Tokyo")) + "\",\"reason\":\"x\"}";
    var request = web.method(HttpMethod.valueOf(method)).uri(uri)
        .headers(h -> h.setBearerAuth(token("org-other")));
    var response = method.equals("POST") || method.equals("PUT")
        ? request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
        : request.exchange();

    problem(response, HttpStatus.NOT_FOUND, "CONTRACT_NOT_FOUND");
    get("/contracts/" + errorId).expectBody().jsonPath("$.status").isEqualTo("ERROR")
        .jsonPath("$.pendingManualRetry").doesNotExist().jsonPath("$.lastFinalNoticeOn").doesNotExist()
        .jsonPath("$.repaymentRequestsSent").isEqualTo(0);
    get("/contact-policy").expectBody().jsonPath("$.quietFrom").isEqualTo("12:00");
  }

  @Test
  void theRemainingEndpointsRefuseBadInput() {
    problem(get("/contracts/export.csv?finalNotice=maybe"), HttpStatus.BAD_REQUEST, "INVALID_FINAL_NOTICE");
    problem(get("/contracts/export.csv?cohort=GOLD"), HttpStatus.BAD_REQUEST, "INVALID_COHORT");
    problem(web.delete().uri("/api/orgs/" + org + "/contracts/$bad/manual-retry").headers(h -> h.setBearerAuth(token(org))).exchange(),
        HttpStatus.BAD_REQUEST, "INVALID_ID");
    problem(web.delete().uri("/api/orgs/" + org + "/contracts/c-nobody/manual-retry").headers(h -> h.setBearerAuth(token(org))).exchange(),
        HttpStatus.NOT_FOUND, "CONTRACT_NOT_FOUND");
    problem(post("/final-notices", "{\"filter\":{\"status\":\"LAPSED\"}}", null), HttpStatus.BAD_REQUEST, "INVALID_STATUS");
    problem(post("/final-notices", "{\"filter\":{\"status\":\"ERROR\"},\"contractIds\":[\"" + errorId + "\"]}", null),
        HttpStatus.BAD_REQUEST, "SELECTION_REQUIRED");
    problem(get("/reports/recovery?from=2026-12-31&to=2026-01-01"), HttpStatus.BAD_REQUEST, "INVALID_PERIOD");
    get("/contracts/" + errorId).expectBody().jsonPath("$.lastFinalNoticeOn").doesNotExist();
  }

  @Test
  void inputThatOnceAnsweredWith500IsA4xxProblemAndChangesNothing() {
    problem(web.get().uri(java.net.URI.create(baseUrlOfApi() + "/contracts?status%5B%24ne%5D=ACTIVE"))
        .headers(h -> h.setBearerAuth(token(org))).exchange(), HttpStatus.BAD_REQUEST, "UNKNOWN_PARAMETER");
    problem(get("/contracts?errorFor=P999999999Y"), HttpStatus.BAD_REQUEST, "INVALID_DURATION");
    var eightMegabytes = "{\"contractIds\":[\"" + "x".repeat(8 * 1024 * 1024) + "\"],\"reason\":\"r\"}";
    problem(post("/cancellations", eightMegabytes, null), HttpStatus.CONTENT_TOO_LARGE, "REQUEST_TOO_LARGE");
    get("/contracts/" + errorId).expectBody().jsonPath("$.status").isEqualTo("ERROR");
  }

  private String baseUrlOfApi() {
    return "http://127.0.0.1:" + port + "/api/orgs/" + org;
  }

  private void register(String id, Instant at) {
    contracts.register(
        Contract.register(id, org, Cohort.CURRENT, new Supporter("s-" + id, "山田, \"花子\"", "hanako@example.org"), 3000, at),
        "reg-" + id);
  }

  private WebTestClient.ResponseSpec get(String path) {
    return web.get().uri("/api/orgs/" + org + path).headers(h -> h.setBearerAuth(token(org))).exchange();
  }

  private WebTestClient.ResponseSpec put(String path, String json) {
    return web.put().uri("/api/orgs/" + org + path).headers(h -> h.setBearerAuth(token(org)))
        .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
  }

  private WebTestClient.ResponseSpec post(String path, String json, String idempotencyKey) {
    return web.post().uri("/api/orgs/" + org + path)
        .headers(h -> {
          h.setBearerAuth(token(org));
          if (idempotencyKey != null) {
            h.set("Idempotency-Key", idempotencyKey);
          }
        })
        .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
  }

  private static void problem(WebTestClient.ResponseSpec response, HttpStatus status, String code) {
    response.expectStatus().isEqualTo(status)
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.code").isEqualTo(code);
  }

  private static String token(String org) {
    return LocalTokens.mint(LocalTokens.LOCAL_SECRET, org, "admin@" + org, Instant.now(), Duration.ofHours(1));
  }

}
