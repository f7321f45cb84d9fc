package io.tsuzuku.crmsync;

import io.tsuzuku.schemas.KafkaAccess;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsuzuku.crmsync.adapter.out.mongo.MongoMirrorStore;
import io.tsuzuku.kit.DeadLetters;
import io.tsuzuku.crmsync.domain.SyncPolicy;
import io.tsuzuku.standins.FakeSalesforce;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractStatus;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.Failure;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.StatusChangeReason;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.MovableClock;
import io.tsuzuku.testkit.ServiceBootChecks;
import io.tsuzuku.testkit.TestEvents;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.standins.LocalTokens;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The crm-sync service against the real broker, registry and MongoDB-wire server and a WireMock
 * Salesforce org: status changes arrive on contract-status-changed and leave as batched upserts;
 * the organisation's administrator configures, reconfigures and re-sends through the API. Each
 * test has an organisation of its own; the service's clock is moved by the tests.
 */
@WithEmbeddedInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S")
class CrmSyncServiceIT {

  private static final MovableClock CLOCK = new MovableClock(Instant.parse("2027-06-01T00:00:00Z"));
  private static final FakeSalesforce SALESFORCE = FakeSalesforce.start();
  private static final Duration LINGER = SyncPolicy.DEFAULT.linger();

  /** Every span the service ended, as an exporter receives them (Boot hands them to every exporter bean). */
  private static final List<SpanData> SPANS = new CopyOnWriteArrayList<>();

  @TestConfiguration
  static class MovedClock {
    @Bean
    @Primary
    java.time.Clock movableClock() {
      return CLOCK;
    }

    @Bean
    SpanExporter collectedSpans() {
      return new SpanExporter() {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
          SPANS.addAll(spans);
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
          return CompletableResultCode.ofSuccess();
        }
      };
    }
  }

  @Autowired ApplicationContext context;
  @Autowired WebTestClient web;
  @Autowired MongoMirrorStore mirror;

  private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();
  private static Endpoints endpoints;

  private String org;

  @BeforeEach
  void aFreshOrganisation() {
    SALESFORCE.reset();
    org = "org-" + UUID.randomUUID();
  }

  @BeforeAll
  static void servers(Endpoints running) {
    endpoints = running;
  }

  @AfterAll
  static void stopSalesforce() {
    SALESFORCE.close();
  }

  @Test
  void bootsAgainstTheRealServersAndReportsUp() {
    ServiceBootChecks.assertBootedAgainstEmbeddedInfrastructure(context, "tsuzuku-crm-sync",
        LocalTokens.mintOperator(LocalTokens.LOCAL_SECRET, "operator", java.time.Instant.now(), java.time.Duration.ofMinutes(5)));
  }

  @Test
  void theSettingsAreKeptAndTheSecretNeverReturned() {
    configure("{\"preset\":\"NPSP\",\"externalIdField\":\"Tsuzuku_Contract_Id__c\"}");

    var body = web.get().uri("/api/orgs/" + org + "/salesforce").headers(h -> h.setBearerAuth(token(org)))
        .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

    assertThat(body).doesNotContain(FakeSalesforce.CLIENT_SECRET)
        .contains("\"clientSecretSet\":true", "\"objectApiName\":\"npe03__Recurring_Donation__c\"", "\"mode\":\"LEGACY\"");
  }

  /**
   * The console's settings form sends back what it read, with the fields it shows changed, as a
   * custom mapping, and the revision it read: sent back unchanged, an NPSP integration stays
   * exactly as it was (no new revision, nothing to re-send); sent after another change, it is
   * refused rather than undoing that change.
   */
  @Test
  void settingsReadAndSentBackAsTheConsoleDoesChangeNothing() throws Exception {
    configure("{\"preset\":\"NPSP\",\"externalIdField\":\"Tsuzuku_Contract_Id__c\",\"mode\":\"RECONFIGURED\","
        + "\"extraFields\":{\"errorSince\":\"Error_Since__c\"}}");
    var read = (tools.jackson.databind.node.ObjectNode) JSON.readTree(web.get().uri("/api/orgs/" + org + "/salesforce")
        .headers(h -> h.setBearerAuth(token(org))).exchange().expectBody(String.class).returnResult().getResponseBody());

    var form = JSON.createObjectNode();
    for (var field : java.util.List.of("loginUrl", "clientId", "objectApiName", "externalIdField", "statusField", "statusReasonField",
        "mode", "values", "extraFields")) {
      form.set(field, read.get(field));
    }
    form.put("preset", "CUSTOM");
    form.set("revision", read.get("revision"));
    var saved = JSON.readTree(put("/salesforce", JSON.writeValueAsString(form), token(org)).expectStatus().isOk()
        .expectBody(String.class).returnResult().getResponseBody());

    assertThat(saved.path("revision").asLong()).isEqualTo(read.path("revision").asLong());
    assertThat(saved.path("values")).isEqualTo(read.path("values"));
    assertThat(saved.path("sync").path("reconfiguration").isNull()).isTrue();

    // someone else switches the mode meanwhile: the form read before it does not undo it
    put("/salesforce/mode", "{\"mode\":\"LEGACY\"}", token(org)).expectStatus().isOk();
    form.put("statusField", "Other_Status__c");
    put("/salesforce", JSON.writeValueAsString(form), token(org)).expectStatus().isEqualTo(409)
        .expectBody().jsonPath("$.code").isEqualTo("CONCURRENT_CHANGE");
    web.get().uri("/api/orgs/" + org + "/salesforce").headers(h -> h.setBearerAuth(token(org))).exchange()
        .expectBody().jsonPath("$.mode").isEqualTo("LEGACY").jsonPath("$.statusField").isEqualTo(read.path("statusField").asString());
  }

  /** The administrator's check: a login and a read of the mapped fields, at once, whatever is waiting. */
  @Test
  void aCheckSaysWhetherTheOrgLetsTheIntegrationInAndHasTheMappedFields() {
    configureCustomObject();
    check().jsonPath("$.connected").isEqualTo(true).jsonPath("$.objectApiName").isEqualTo("Recurring_Contract__c")
        .jsonPath("$.code").doesNotExist();

    SALESFORCE.objectFields(Set.of("Id", "Tsuzuku_Contract_Id__c"));
    check().jsonPath("$.connected").isEqualTo(false).jsonPath("$.code").isEqualTo("INVALID_FIELD")
        .jsonPath("$.message").value(message -> assertThat((String) message).contains("Status__c"));
    assertThat(SALESFORCE.completedBatchSizes()).as("nothing written").isEmpty();
  }

  private WebTestClient.BodyContentSpec check() {
    return web.post().uri("/api/orgs/" + org + "/salesforce/check").headers(h -> h.setBearerAuth(token(org))).exchange()
        .expectStatus().isOk().expectBody();
  }

  @Test
  void badSettingsAreRefusedAndChangeNothing() {
    configure("{\"objectApiName\":\"Recurring_Contract__c\",\"externalIdField\":\"Tsuzuku_Contract_Id__c\",\"statusField\":\"Status__c\"}");

    put("/salesforce", settings("{\"objectApiName\":\"Recurring_Contract__c; DROP\",\"externalIdField\":\"X__c\",\"statusField\":\"Status__c\"}"), token(org))
        .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_SETTINGS");
    put("/salesforce", "{\"loginUrl\":\"ftp://example.com\",\"clientId\":\"x\",\"clientSecret\":\"y\",\"objectApiName\":\"A__c\",\"externalIdField\":\"X__c\",\"statusField\":\"S__c\"}", token(org))
        .expectStatus().isBadRequest();
    // the stored secret never follows the integration to another host: an internal one, or any
    for (var elsewhere : java.util.List.of("https://169.254.169.254", "https://attacker.example", "http://metadata.internal")) {
      put("/salesforce", "{\"loginUrl\":\"" + elsewhere + "\",\"clientId\":\"" + FakeSalesforce.CLIENT_ID
          + "\",\"objectApiName\":\"Recurring_Contract__c\",\"externalIdField\":\"Tsuzuku_Contract_Id__c\",\"statusField\":\"Status__c\"}", token(org))
          .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("SECRET_REQUIRED");
      put("/salesforce", "{\"loginUrl\":\"" + elsewhere + "\",\"clientId\":\"x\",\"clientSecret\":\"y\",\"objectApiName\":\"A__c\",\"externalIdField\":\"X__c\",\"statusField\":\"S__c\"}", token(org))
          .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("LOGIN_URL_NOT_ALLOWED");
    }

    web.get().uri("/api/orgs/" + org + "/salesforce").headers(h -> h.setBearerAuth(token(org))).exchange()
        .expectStatus().isOk().expectBody().jsonPath("$.objectApiName").isEqualTo("Recurring_Contract__c").jsonPath("$.revision").isEqualTo(1);
  }

  @Test
  void anotherOrganisationsTokenFindsNothingAndNoTokenIsRefused() {
    configure("{\"objectApiName\":\"Recurring_Contract__c\",\"externalIdField\":\"Tsuzuku_Contract_Id__c\",\"statusField\":\"Status__c\"}");

    web.get().uri("/api/orgs/" + org + "/salesforce").headers(h -> h.setBearerAuth(token("org-other"))).exchange()
        .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("SALESFORCE_NOT_CONFIGURED");
    put("/salesforce/mode", "{\"mode\":\"RECONFIGURED\"}", token("org-other")).expectStatus().isNotFound();
    web.get().uri("/api/orgs/" + org + "/salesforce").exchange().expectStatus().isUnauthorized();
  }

  @Test
  void aThousandStatusChangesOfAThousandContractsTakeAtMostSixUpsertCalls() {
    configureCustomObject();
    var changes = new ArrayList<SpecificRecord>();
    IntStream.range(0, 1_000).forEach(i -> changes.add(changed(i, 1, ContractStatus.RETRYING)));

    TestEvents.send(endpoints, changes.toArray(SpecificRecord[]::new));
    awaitKept(1_000);
    CLOCK.advance(LINGER);

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(SALESFORCE.recordCountFor(org)).isEqualTo(1_000));
    assertThat(SALESFORCE.completedCallsFor(org)).isLessThanOrEqualTo(6);
    assertThat(SALESFORCE.record(contract(777))).isEqualTo(Map.of("Status__c", "再決済待ち"));
  }

  @Test
  void aContractsSalesforceWriteIsASpanInTheTraceItsStatusCameIn() throws Exception {
    configureCustomObject();
    var traceId = UUID.randomUUID().toString().replace("-", "");
    var settings = new HashMap<>(AvroSerdes.producerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    try (var producer = new KafkaProducer<String, SpecificRecord>(settings)) {
      var record = new ProducerRecord<>(Topics.CONTRACT_STATUS_CHANGED.name(), contract(7), changed(7, 1, ContractStatus.RETRYING));
      record.headers().add("traceparent", ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.US_ASCII));
      producer.send(record).get();
    }
    awaitKept(1);
    CLOCK.advance(LINGER);

    await().untilAsserted(() -> assertThat(SALESFORCE.recordCountFor(org)).isEqualTo(1));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(SPANS)
        .filteredOn(span -> span.getName().equals("salesforce upsert") && span.getTraceId().equals(traceId))
        .singleElement()
        .satisfies(span -> assertThat(span.getAttributes().get(AttributeKey.stringKey("tsuzuku.contract.id"))).isEqualTo(contract(7))));
  }

  @Test
  void fiftyChangesOfOneContractWriteOneRecordWithTheLastValue() {
    configureCustomObject();
    var statuses = List.of(ContractStatus.ACTIVE, ContractStatus.RETRYING, ContractStatus.ERROR);
    var changes = new ArrayList<SpecificRecord>();
    IntStream.rangeClosed(1, 49).forEach(v -> changes.add(changed(1, v, statuses.get(v % 3))));
    changes.add(changed(1, 50, ContractStatus.CANCELLED));

    TestEvents.send(endpoints, changes.toArray(SpecificRecord[]::new));
    await().untilAsserted(() -> assertThat(mirror.find(org, contract(1)).orElseThrow().state().version()).isEqualTo(50));
    CLOCK.advance(LINGER);

    await().untilAsserted(() -> assertThat(SALESFORCE.savedRecords(contract(1))).containsExactly(Map.of("Status__c", "解約")));
    assertThat(SALESFORCE.completedCallsFor(org)).isEqualTo(1);
  }

  /**
   * A snapshot naming another organisation than the one its contract belongs to (a forged or
   * misrouted record) never moves the contract into that organisation's Salesforce: it is
   * dead-lettered with the reason and the mirror keeps the contract where it was.
   */
  @Test
  void aSnapshotNamingAnotherOrganisationIsDeadLetteredAndMovesNothing() {
    configureCustomObject();
    TestEvents.send(endpoints, changed("foreign", 1, ContractStatus.ACTIVE));
    await().untilAsserted(() -> assertThat(mirror.find(org, contract("foreign"))).isPresent());
    var forged = (ContractStatusChanged) changed("foreign", 2, ContractStatus.CANCELLED);
    forged.getHeader().setOrgId(org + "-other");

    TestEvents.send(endpoints, forged);

    await().untilAsserted(() -> {
      try (var deadLetters = new DeadLetters(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT))) {
        assertThat(deadLetters.list(Topics.CONTRACT_STATUS_CHANGED.deadLetterTopic()))
            .filteredOn(letter -> contract("foreign").equals(letter.key()))
            .singleElement().satisfies(letter -> assertThat(letter.reason()).contains("belongs to organisation " + org));
      }
    });
    var kept = mirror.find(org, contract("foreign")).orElseThrow().state();
    assertThat(kept.version()).isEqualTo(1);
    assertThat(kept.status()).isEqualTo(io.tsuzuku.crmsync.domain.Status.ACTIVE);
    assertThat(mirror.find(org + "-other", contract("foreign"))).isEmpty();
  }

  @Test
  void aRejectedRecordIsListedWithItsErrorAndSyncedOnceTheOrgAcceptsIt() {
    configure("{\"objectApiName\":\"Recurring_Contract__c\",\"externalIdField\":\"Tsuzuku_Contract_Id__c\",\"statusField\":\"Status__c\",\"mode\":\"RECONFIGURED\"}");
    SALESFORCE.restrictPicklist("Status__c", Set.of("継続中", "リトライ中", "解約")); // エラー not added yet
    var changes = new ArrayList<SpecificRecord>();
    changes.add(changed(0, 1, ContractStatus.ERROR));
    IntStream.range(1, 200).forEach(i -> changes.add(changed(i, 1, ContractStatus.RETRYING)));

    TestEvents.send(endpoints, changes.toArray(SpecificRecord[]::new));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(SALESFORCE.recordCountFor(org)).isEqualTo(199));

    web.get().uri("/api/orgs/" + org + "/salesforce/rejections").headers(h -> h.setBearerAuth(token(org))).exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.items.length()").isEqualTo(1)
        .jsonPath("$.items[0].contractId").isEqualTo(contract(0))
        .jsonPath("$.items[0].record.Status__c").isEqualTo("エラー")
        .jsonPath("$.items[0].rejection.code").isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
        .jsonPath("$.items[0].rejection.hint").value(hint -> assertThat((String) hint).contains("picklist"));
    await().untilAsserted(() -> status().jsonPath("$.sync.rejected").isEqualTo(1).jsonPath("$.sync.pending").isEqualTo(1));

    SALESFORCE.restrictPicklist("Status__c", Set.of("継続中", "リトライ中", "エラー", "解約"));
    web.post().uri("/api/orgs/" + org + "/salesforce/rejections/resend").headers(h -> h.setBearerAuth(token(org)))
        .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
        .expectStatus().isOk().expectBody().jsonPath("$.resent").isEqualTo(1);
    CLOCK.advance(LINGER);

    await().untilAsserted(() -> assertThat(SALESFORCE.record(contract(0))).containsEntry("Status__c", "エラー"));
    await().untilAsserted(() -> assertThat(mirror.backlog(org, "").rejected()).isZero());
  }

  @Test
  void anOutageThenTheDailyLimitLoseNothingAndNeverSendAnOlderValueAfterANewerOne() {
    configureCustomObject();
    send(300, 1, ContractStatus.ACTIVE);
    awaitKept(300);
    await().untilAsserted(() -> assertThat(SALESFORCE.recordCountFor(org)).isGreaterThanOrEqualTo(200)); // the first full batch

    SALESFORCE.failWith(aResponse().withStatus(503).withBody("Service Unavailable"));
    send(300, 2, ContractStatus.RETRYING);
    awaitPaused("503");

    SALESFORCE.failWith(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
        .withBody("[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]"));
    send(300, 3, ContractStatus.ERROR);
    CLOCK.advance(Duration.ofMinutes(6)); // past the outage's back-off: the next call meets the limit
    awaitPaused("REQUEST_LIMIT_EXCEEDED");
    send(300, 4, ContractStatus.CANCELLED);

    SALESFORCE.recover();
    CLOCK.advance(Duration.ofHours(2)); // past the limit's back-off

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(IntStream.range(0, 300).mapToObj(i -> SALESFORCE.record(contract(i)).get("Status__c")))
            .containsOnly("解約"));
    for (int i = 0; i < 300; i++) {
      var sent = SALESFORCE.savedRecords(contract(i)).stream().map(r -> legacyOrder(String.valueOf(r.get("Status__c")))).toList();
      assertThat(sent).as("values sent for %s", contract(i)).isSorted();
    }
  }

  @Test
  void reconfiguringReSendsOnlyTheContractsWhoseValueChanges() {
    configureCustomObject();
    TestEvents.send(endpoints,
        changed("active", 1, ContractStatus.ACTIVE), changed("retrying", 1, ContractStatus.RETRYING), changed("error", 1, ContractStatus.ERROR));
    awaitKept(3);
    CLOCK.advance(LINGER);
    await().untilAsserted(() -> assertThat(SALESFORCE.recordCountFor(org)).isEqualTo(3));
    assertThat(SALESFORCE.record(contract("error"))).containsEntry("Status__c", "再決済待ち");

    put("/salesforce/mode", "{\"mode\":\"RECONFIGURED\"}", token(org)).expectStatus().isOk()
        .expectBody().jsonPath("$.mode").isEqualTo("RECONFIGURED");
    await().untilAsserted(() -> status().jsonPath("$.sync.reconfiguration.scanned").isEqualTo(3));
    CLOCK.advance(LINGER);

    await().untilAsserted(() -> status()
        .jsonPath("$.sync.reconfiguration.toResend").isEqualTo(2)
        .jsonPath("$.sync.reconfiguration.remaining").isEqualTo(0)
        .jsonPath("$.sync.reconfiguration.done").isEqualTo(true));
    assertThat(SALESFORCE.savedRecords(contract("active"))).hasSize(1);
    assertThat(SALESFORCE.savedRecords(contract("retrying"))).last().isEqualTo(Map.of("Status__c", "リトライ中"));
    assertThat(SALESFORCE.savedRecords(contract("error"))).last().isEqualTo(Map.of("Status__c", "エラー"));
    web.get().uri("/api/orgs/" + org + "/salesforce/contracts/" + contract("error")).headers(h -> h.setBearerAuth(token(org))).exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.status").isEqualTo("ERROR")
        .jsonPath("$.record.Status__c").isEqualTo("エラー")
        .jsonPath("$.written.Status__c").isEqualTo("エラー")
        .jsonPath("$.pending").isEqualTo(false);
  }

  private static int legacyOrder(String value) {
    return List.of("継続中", "再決済待ち", "解約").indexOf(value);
  }

  private void send(int contracts, long version, ContractStatus status) {
    TestEvents.send(endpoints, IntStream.range(0, contracts).mapToObj(i -> changed(i, version, status)).toArray(SpecificRecord[]::new));
  }

  private void awaitKept(int contracts) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(mirror.page(org, "", contracts + 1)).hasSize(contracts));
  }

  private void awaitPaused(String reason) {
    await().untilAsserted(() -> {
      var body = status().returnResult().getResponseBody();
      assertThat(new String(body)).contains("\"lastError\":\"" + reason).contains("\"pausedUntil\":\"");
    });
  }

  private WebTestClient.BodyContentSpec status() {
    return web.get().uri("/api/orgs/" + org + "/salesforce").headers(h -> h.setBearerAuth(token(org))).exchange()
        .expectStatus().isOk().expectBody();
  }

  /**
   * The API's OpenAPI 3.1 description, generated from the code, served and kept in docs/; and every
   * operation walked with hostile input: no 5xx, and the organisation's settings stay as they were.
   */
  @Test
  void everyOperationOfTheDescribedApiRefusesHostileInputWithA4xxAndChangesNothing() throws Exception {
    configureCustomObject();
    var before = settingsOf(org);
    var description = web.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody(String.class).returnResult()
        .getResponseBody();
    io.tsuzuku.testkit.OpenApiDescription.assertUpToDate("crm-sync-service.json", description);
    assertThat(description).contains("\"openapi\":\"3.1");

    var report = new io.tsuzuku.testkit.OpenApiFuzzer("http://127.0.0.1:" + port, token(org)).run(description,
        java.util.Map.of("orgId", org, "contractId", org + "-1"), java.util.Map.of("orgId", "org-elsewhere", "contractId", "c-1"));

    System.out.printf("openapi fuzz of the Salesforce settings API: %d requests, %d answered 5xx%n",
        report.requests(), report.serverErrors().size());
    assertThat(report.serverErrors()).isEmpty();
    assertThat(report.requests()).isGreaterThan(300);
    assertThat(settingsOf(org)).isEqualTo(before);
  }

  /** What an administrator configured: the settings and their revision, not the sync's figures. */
  private String settingsOf(String orgId) {
    var view = tools.jackson.databind.json.JsonMapper.builder().build().readTree(
        web.get().uri("/api/orgs/" + orgId + "/salesforce").headers(h -> h.setBearerAuth(token(orgId))).exchange()
            .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    return java.util.stream.Stream.of("revision", "loginUrl", "clientId", "objectApiName", "externalIdField", "statusField", "mode")
        .map(field -> field + "=" + view.path(field)).toList().toString();
  }

  @org.springframework.boot.test.web.server.LocalServerPort int port;

  private void configureCustomObject() {
    configure("{\"objectApiName\":\"Recurring_Contract__c\",\"externalIdField\":\"Tsuzuku_Contract_Id__c\",\"statusField\":\"Status__c\"}");
  }

  private void configure(String mapping) {
    put("/salesforce", settings(mapping), token(org)).expectStatus().isOk();
  }

  private String settings(String mapping) {
    return "{\"loginUrl\":\"" + SALESFORCE.url() + "\",\"clientId\":\"" + FakeSalesforce.CLIENT_ID + "\",\"clientSecret\":\""
        + FakeSalesforce.CLIENT_SECRET + "\"," + mapping.substring(1);
  }

  private WebTestClient.ResponseSpec put(String path, String body, String token) {
    return web.put().uri("/api/orgs/" + org + path).headers(h -> h.setBearerAuth(token))
        .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
  }

  private String contract(Object suffix) {
    return org + "-c-" + suffix;
  }

  private SpecificRecord changed(Object contractSuffix, long version, ContractStatus to) {
    var contractId = contract(contractSuffix);
    var failed = to == ContractStatus.RETRYING || to == ContractStatus.ERROR;
    return ContractStatusChanged.newBuilder()
        .setHeader(EventHeader.newBuilder().setEventId(UUID.randomUUID().toString()).setOrgId(org).setContractId(contractId)
            .setOccurredAt(CLOCK.instant()).build())
        .setTo(to).setReason(StatusChangeReason.UNKNOWN).setStatusSince(CLOCK.instant()).setCohort(Cohort.CURRENT)
        .setErrorSince(to == ContractStatus.ERROR ? CLOCK.instant() : null)
        .setLastFailure(failed ? Failure.newBuilder().setCode("insufficient_funds").setFailureClass(FailureClass.SOFT_DECLINE).setAt(CLOCK.instant()).build() : null)
        .setVersion(version)
        .build();
  }

  private static String token(String orgId) {
    return LocalTokens.mint(LocalTokens.LOCAL_SECRET, orgId, "admin@" + orgId, Instant.now(), Duration.ofHours(1));
  }
}
