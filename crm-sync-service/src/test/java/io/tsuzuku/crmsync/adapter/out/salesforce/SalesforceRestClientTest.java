package io.tsuzuku.crmsync.adapter.out.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.crmsync.adapter.out.mongo.MongoOrganisationStore;
import io.tsuzuku.crmsync.adapter.out.mongo.SecretCipher;
import io.tsuzuku.crmsync.application.LoginUrlPolicy;
import io.tsuzuku.crmsync.application.Organisation;
import io.tsuzuku.crmsync.application.port.SalesforceClient.OutgoingRecord;
import io.tsuzuku.crmsync.domain.ApiUsage;
import io.tsuzuku.crmsync.domain.RecordResult;
import io.tsuzuku.crmsync.domain.UpsertOutcome;
import io.tsuzuku.standins.FakeSalesforce;
import io.tsuzuku.crmsync.salesforce.TestOrganisations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST adapter against a WireMock Salesforce org: the wire format, the login, the failures. */
class SalesforceRestClientTest {

  private static final FakeSalesforce salesforce = FakeSalesforce.start();
  private static final TestOrganisations mongo = new TestOrganisations();

  private MongoOrganisationStore organisations;
  private SalesforceRestClient client;
  private Organisation organisation;

  @BeforeEach
  void configureAnOrganisation() {
    salesforce.reset();
    organisations = new MongoOrganisationStore(mongo.database(), new SecretCipher("test-secrets-key-of-the-crm-sync-tests-0123456789", java.util.List.of()));
    organisation = TestOrganisations.organisation("org-1", salesforce);
    organisations.save(organisation, 0);
    client = new SalesforceRestClient(organisations, TestOrganisations.LOCAL_URLS, "v62.0", Duration.ofSeconds(4), Duration.ofHours(1),
        io.micrometer.observation.ObservationRegistry.NOOP);
  }

  @AfterAll
  static void stop() {
    salesforce.close();
    mongo.close();
  }

  @Test
  void updatesEveryRecordTheOrgHoldsAtItsInstanceUrlAndReadsTheApiUsage() {
    var outcome = client.upsert(organisation, List.of(record("c-1", "継続中"), record("c-2", "再決済待ち")));

    assertThat(outcome).isInstanceOf(UpsertOutcome.Completed.class);
    var completed = (UpsertOutcome.Completed) outcome;
    assertThat(completed.results()).containsExactly(RecordResult.SAVED, RecordResult.SAVED);
    assertThat(completed.usage()).as("a query and an update").isEqualTo(new ApiUsage(2, 15_000));
    assertThat(salesforce.record("c-1")).containsEntry("Status__c", "継続中");
    assertThat(salesforce.record("c-2")).containsEntry("Status__c", "再決済待ち");
    assertThat(salesforce.instanceUrl()).as("the stub's REST API is elsewhere than its My Domain").isNotEqualTo(salesforce.url());
  }

  /** An upsert would create a record carrying the status alone, which an object with required fields refuses for ever. */
  @Test
  void aContractTheOrgHoldsNoRecordForIsReportedNotCreated() {
    salesforce.holdOnly(Set.of("c-1"));

    var outcome = (UpsertOutcome.Completed) client.upsert(organisation, List.of(record("c-0", "継続中"), record("c-1", "継続中")));

    assertThat(outcome.results().get(0).success()).isFalse();
    assertThat(outcome.results().get(0).rejection().code()).isEqualTo("NOT_IN_SALESFORCE");
    assertThat(outcome.results().get(0).rejection().message()).contains("Recurring_Contract__c", "Tsuzuku_Contract_Id__c", "c-0");
    assertThat(outcome.results().get(0).rejection().hint()).contains("does not create records");
    assertThat(outcome.results().get(1)).isEqualTo(RecordResult.SAVED);
    assertThat(salesforce.savedRecords("c-0")).isEmpty();
    assertThat(salesforce.completedBatchSizes()).as("only the record the org holds is written").containsExactly(1);
  }

  @Test
  void externalIdsAreQuotedForSoqlSoNoIdChangesTheQuery() {
    var tricky = "c-1' OR Name != 'x\\";
    salesforce.holdOnly(Set.of(tricky));

    var outcome = (UpsertOutcome.Completed) client.upsert(organisation, List.of(record(tricky, "継続中"), record("c-2", "継続中")));

    assertThat(outcome.results().get(0)).isEqualTo(RecordResult.SAVED);
    assertThat(outcome.results().get(1).rejection().code()).isEqualTo("NOT_IN_SALESFORCE");
    assertThat(SalesforceRestClient.soqlEscape("a'b\\c")).isEqualTo("a\\'b\\\\c");
  }

  @Test
  void aBatchOfLongIdsIsFoundInSeveralQueriesUnderSalesforcesUrlLimit() {
    var records = new java.util.ArrayList<OutgoingRecord>();
    for (int i = 0; i < 200; i++) {
      records.add(record("c-" + "x".repeat(150) + i, "継続中"));
    }

    var outcome = (UpsertOutcome.Completed) client.upsert(organisation, records);

    assertThat(outcome.results()).hasSize(200).allMatch(RecordResult::success);
    assertThat(salesforce.apiCalls()).as("queries, then one update").isBetween(4, 6);
    assertThat(salesforce.completedBatchSizes()).containsExactly(200);
  }

  /** A field the org lacks fails the whole request: Salesforce's code and the field reach the admin; it is no outage. */
  @Test
  void aRequestRefusedAsAWholeIsAConfigurationErrorWithSalesforcesCode() {
    salesforce.objectFields(Set.of("Tsuzuku_Contract_Id__c", "Status__c"));

    var outcome = client.upsert(organisation, List.of(new OutgoingRecord("c-1", Map.of("Status__c", "継続中", "Stauts_Reason__c", "x"), null)));

    assertThat(outcome).isInstanceOfSatisfying(UpsertOutcome.Misconfigured.class, refused -> {
      assertThat(refused.code()).isEqualTo("INVALID_FIELD");
      assertThat(refused.detail()).contains("400", "Stauts_Reason__c");
    });
  }

  @Test
  void aLoginUrlThePolicyRefusesIsNeverCalledEvenFromOlderSettings() {
    var stored = new Organisation(organisation.orgId(),
        new Organisation.Connection("https://login.salesforce.com", FakeSalesforce.CLIENT_ID, FakeSalesforce.CLIENT_SECRET),
        organisation.mapping(), 2, organisation.state());

    var outcome = client.upsert(stored, List.of(record("c-1", "継続中")));

    assertThat(outcome).isInstanceOfSatisfying(UpsertOutcome.Misconfigured.class, refused -> {
      assertThat(refused.code()).isEqualTo("LOGIN_URL_REFUSED");
      assertThat(refused.detail()).contains("My Domain");
    });
    assertThat(salesforce.tokensIssued()).isZero();
  }

  /**
   * A host name the allow-list admits but which resolves to a loopback (or private, or link-local)
   * address is refused when the connection is made, whatever the address was when the settings
   * were saved (DNS rebinding): nothing is sent there, not even the login with the client secret.
   */
  @Test
  void aLoginHostResolvingToALoopbackAddressIsRefusedAtConnectTimeEvenFromOlderSettings() {
    var deployment = LoginUrlPolicy.salesforceAnd(List.of("http://localhost:*"));
    var rebinding = new SalesforceRestClient(organisations, deployment, "v62.0", Duration.ofSeconds(4), Duration.ofHours(1),
        io.micrometer.observation.ObservationRegistry.NOOP);
    var stored = new Organisation(organisation.orgId(),
        new Organisation.Connection(salesforce.url().replace("127.0.0.1", "localhost"), FakeSalesforce.CLIENT_ID, FakeSalesforce.CLIENT_SECRET),
        organisation.mapping(), 2, organisation.state());
    organisations.save(stored, 1);

    var outcome = rebinding.upsert(stored, List.of(record("c-1", "継続中")));

    assertThat(outcome).isInstanceOfSatisfying(UpsertOutcome.Misconfigured.class, refused -> {
      assertThat(refused.code()).isEqualTo("LOGIN_HOST_NOT_PUBLIC");
      assertThat(refused.detail()).contains("localhost").doesNotContain("127.0.0.1");
    });
    assertThat(salesforce.tokensIssued()).isZero();
    assertThat(rebinding.check(stored).code()).isEqualTo("LOGIN_HOST_NOT_PUBLIC");
  }

  @Test
  void theStubOrgShowsWhatItHoldsOnAPageAtItsAddress() throws Exception {
    client.upsert(organisation, List.of(record("c-1", "継続中"), record("c-<2>", "再決済待ち")));

    var http = java.net.http.HttpClient.newHttpClient();
    var page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(salesforce.url() + "/")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body()).contains("2 records", "c-1", "Status__c=継続中", "c-&lt;2&gt;", "Status__c=再決済待ち")
        .doesNotContain("c-<2>");
  }

  @Test
  void aRecordTheOrgRefusesIsRejectedWithItsCodeAndTheOthersAreSaved() {
    salesforce.restrictPicklist("Status__c", Set.of("継続中", "再決済待ち", "解約"));

    var outcome = (UpsertOutcome.Completed) client.upsert(organisation, List.of(record("c-1", "エラー"), record("c-2", "継続中")));

    assertThat(outcome.results().get(0).success()).isFalse();
    assertThat(outcome.results().get(0).rejection().code()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
    assertThat(outcome.results().get(0).rejection().hint()).contains("picklist");
    assertThat(outcome.results().get(1)).isEqualTo(RecordResult.SAVED);
    assertThat(salesforce.savedRecords("c-1")).isEmpty();
  }

  @Test
  void logsInOnceAndReusesTheTokenAlthoughSalesforceSendsNoExpiry() {
    client.upsert(organisation, List.of(record("c-1", "継続中")));
    client.upsert(organisation, List.of(record("c-2", "継続中")));
    client.upsert(organisation, List.of(record("c-3", "継続中")));

    assertThat(salesforce.tokensIssued()).isEqualTo(1);
  }

  @Test
  void anExpiredSessionIsRefreshedOnceAndTheBatchSent() {
    client.upsert(organisation, List.of(record("c-1", "継続中")));
    salesforce.expireSessions();

    var outcome = client.upsert(organisation, List.of(record("c-1", "再決済待ち")));

    assertThat(outcome).isInstanceOf(UpsertOutcome.Completed.class);
    assertThat(salesforce.tokensIssued()).isEqualTo(2);
    assertThat(salesforce.record("c-1")).containsEntry("Status__c", "再決済待ち");
  }

  @Test
  void theDailyLimitIsTold() {
    salesforce.failWith(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
        .withBody("[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]"));

    assertThat(client.upsert(organisation, List.of(record("c-1", "継続中")))).isInstanceOf(UpsertOutcome.RequestLimitExceeded.class);
  }

  @Test
  void anOutageATimeoutAndARefusedLoginMeanUnavailable() {
    salesforce.failWith(aResponse().withStatus(503).withBody("Service Unavailable"));
    assertThat(client.upsert(organisation, List.of(record("c-1", "継続中"))))
        .isEqualTo(new UpsertOutcome.Unavailable("503: not a Salesforce error answer"));

    salesforce.failWith(aResponse().withStatus(200).withFixedDelay(8_000));
    assertThat(client.upsert(organisation, List.of(record("c-1", "継続中"))))
        .isEqualTo(new UpsertOutcome.Unavailable("no answer within PT4S"));

    salesforce.recover();
    var wrongSecret = new Organisation(organisation.orgId(),
        new Organisation.Connection(salesforce.url(), FakeSalesforce.CLIENT_ID, "wrong"), organisation.mapping(), 2, organisation.state());
    organisations.save(wrongSecret, 1);
    client.forget(organisation.orgId());
    var refused = client.upsert(wrongSecret, List.of(record("c-1", "継続中")));
    assertThat(refused).isInstanceOf(UpsertOutcome.Unavailable.class);
    assertThat(((UpsertOutcome.Unavailable) refused).detail()).startsWith("login refused: invalid_client");
  }

  /**
   * The administrator's check: a login and one read of the mapped object with every field the
   * mapping writes (a reconfigured one's extra fields too), so a field the org lacks shows before
   * any record is sent; nothing is written.
   */
  @Test
  void aCheckLogsInAndReadsTheMappedFieldsWritingNothing() {
    var withExtras = new Organisation(organisation.orgId(), organisation.connection(),
        organisation.mapping().withMode(io.tsuzuku.crmsync.domain.MappingMode.RECONFIGURED)
            .withExtraFields(new io.tsuzuku.crmsync.domain.ExtraFields("Error_Since__c", null, null)), 2,
        organisation.state());

    var connected = client.check(withExtras);
    salesforce.objectFields(Set.of("Tsuzuku_Contract_Id__c", "Status__c"));
    var lacking = client.check(withExtras);

    assertThat(connected.connected()).isTrue();
    assertThat(connected.usage()).as("one query").isEqualTo(new ApiUsage(1, 15_000));
    assertThat(lacking.connected()).isFalse();
    assertThat(lacking.code()).isEqualTo("INVALID_FIELD");
    assertThat(lacking.message()).contains("Error_Since__c");
    assertThat(salesforce.completedBatchSizes()).as("nothing written").isEmpty();
  }

  @Test
  void aCheckWithAWrongSecretOrARefusedLoginUrlSaysWhich() {
    var wrongSecret = new Organisation(organisation.orgId(),
        new Organisation.Connection(salesforce.url(), FakeSalesforce.CLIENT_ID, "wrong"), organisation.mapping(), 2, organisation.state());
    organisations.save(wrongSecret, 1);
    var generic = new Organisation(organisation.orgId(),
        new Organisation.Connection("https://login.salesforce.com", FakeSalesforce.CLIENT_ID, FakeSalesforce.CLIENT_SECRET),
        organisation.mapping(), 2, organisation.state());

    var refused = client.check(wrongSecret);
    var notMyDomain = client.check(generic);

    assertThat(refused.code()).isEqualTo("LOGIN_REFUSED");
    assertThat(refused.message()).contains("invalid_client");
    assertThat(notMyDomain.code()).isEqualTo("LOGIN_URL_REFUSED");
    assertThat(notMyDomain.message()).contains("My Domain");
  }

  private static OutgoingRecord record(String contractId, String status) {
    return new OutgoingRecord(contractId, Map.of("Status__c", status), null);
  }
}
