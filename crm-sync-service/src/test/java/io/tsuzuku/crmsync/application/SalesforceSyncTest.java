package io.tsuzuku.crmsync.application;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.crmsync.adapter.out.mongo.MongoMirrorStore;
import io.tsuzuku.crmsync.adapter.out.mongo.MongoOrganisationStore;
import io.tsuzuku.crmsync.adapter.out.salesforce.SalesforceRestClient;
import io.tsuzuku.crmsync.application.port.MirrorStore;
import io.tsuzuku.crmsync.domain.ContractState;
import io.tsuzuku.crmsync.domain.ExtraFields;
import io.tsuzuku.crmsync.domain.MappingMode;
import io.tsuzuku.crmsync.domain.Status;
import io.tsuzuku.crmsync.domain.SyncPolicy;
import io.tsuzuku.standins.FakeSalesforce;
import io.tsuzuku.crmsync.salesforce.TestOrganisations;
import io.tsuzuku.testkit.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sync's use cases against a WireMock Salesforce org and the in-memory MongoDB-wire server,
 * on a clock the tests move: batching, latest value wins, rejections, outages, the daily limit
 * and reconfiguration.
 */
class SalesforceSyncTest {

  private static final String ORG = "org-1";
  private static final Instant START = Instant.parse("2027-04-01T00:00:00Z");
  private static final FakeSalesforce salesforce = FakeSalesforce.start();
  private static final TestOrganisations mongo = new TestOrganisations();

  private final MovableClock clock = new MovableClock(START);
  private MongoMirrorStore mirror;
  private MongoOrganisationStore organisations;
  private StatusMirror statusMirror;
  private SalesforceSync sync;
  private IntegrationSettings settings;
  private RejectedRecords rejected;

  @BeforeEach
  void anOrganisationWithItsIntegrationConfigured() {
    salesforce.reset();
    var database = mongo.database();
    mirror = new MongoMirrorStore(database);
    organisations = new MongoOrganisationStore(database, new io.tsuzuku.crmsync.adapter.out.mongo.SecretCipher("test-secrets-key-of-the-crm-sync-tests-0123456789", java.util.List.of()));
    var client = new SalesforceRestClient(organisations, TestOrganisations.LOCAL_URLS, "v62.0", Duration.ofSeconds(5), Duration.ofHours(1),
        io.micrometer.observation.ObservationRegistry.NOOP);
    sync = new SalesforceSync(organisations, mirror, client, SyncPolicy.DEFAULT, clock, Duration.ofMinutes(2));
    statusMirror = new StatusMirror(mirror, clock, SyncPolicy.DEFAULT.batchSize(), () -> {});
    settings = new IntegrationSettings(organisations, mirror, client, clock, () -> {}, LoginUrlPolicy.salesforceAnd(java.util.List.of("http://127.0.0.1:*")));
    rejected = new RejectedRecords(organisations, mirror, clock, () -> {});
    organisations.save(TestOrganisations.organisation(ORG, salesforce), 0);
  }

  @AfterAll
  static void stop() {
    salesforce.close();
    mongo.close();
  }

  @Test
  void aThousandChangesOfAThousandContractsTakeAtMostSixCalls() {
    IntStream.range(0, 1_000).forEach(i -> change("c-" + i, 1, Status.RETRYING));

    sync.runPass("test");
    clock.advance(SyncPolicy.DEFAULT.linger());
    sync.runPass("test");

    assertThat(salesforce.upsertCalls()).isLessThanOrEqualTo(6);
    assertThat(salesforce.recordCount()).isEqualTo(1_000);
    assertThat(salesforce.record("c-999")).containsEntry("Status__c", "再決済待ち");
    assertThat(mirror.backlog(ORG, "").pending()).isZero();
  }

  @Test
  void aPartBatchWaitsForTheLingerAndAFullOneDoesNot() {
    IntStream.range(0, 250).forEach(i -> change("c-" + i, 1, Status.ACTIVE));

    sync.runPass("test");
    assertThat(salesforce.completedBatchSizes()).containsExactly(200);

    clock.advance(SyncPolicy.DEFAULT.linger().minusMillis(1));
    sync.runPass("test");
    assertThat(salesforce.upsertCalls()).isEqualTo(1);

    clock.advance(Duration.ofMillis(1));
    sync.runPass("test");
    assertThat(salesforce.completedBatchSizes()).containsExactly(200, 50);
  }

  @Test
  void fiftyChangesOfOneContractWriteOneRecordWithTheLastValue() {
    for (int version = 1; version <= 50; version++) {
      change("c-1", version, version % 2 == 0 ? Status.RETRYING : Status.ACTIVE);
    }
    change("c-1", 51, Status.CANCELLED);

    lingerAndSync();

    assertThat(salesforce.completedBatchSizes()).containsExactly(1);
    assertThat(salesforce.savedRecords("c-1")).containsExactly(Map.of("Status__c", "解約"));
  }

  @Test
  void aStaleOrRepeatedSnapshotChangesNothing() {
    change("c-1", 5, Status.ERROR);
    change("c-1", 4, Status.ACTIVE);
    change("c-1", 5, Status.ACTIVE);

    lingerAndSync();

    assertThat(salesforce.savedRecords("c-1")).containsExactly(Map.of("Status__c", "再決済待ち"));
  }

  @Test
  void aPollOfSnapshotsIsKeptTogetherTheNewestOfEachContractWrittenOnce() {
    change("c-1", 2, Status.RETRYING);

    statusMirror.statusChangedAll(List.of(
        incoming("c-1", 1, Status.ACTIVE), // stale
        incoming("c-2", 1, Status.RETRYING),
        incoming("c-2", 3, Status.ERROR),
        incoming("c-1", 4, Status.ERROR),
        incoming("c-2", 2, Status.ACTIVE))); // older than the poll's own
    lingerAndSync();

    assertThat(mirror.find(ORG, "c-1").orElseThrow().state().version()).isEqualTo(4);
    assertThat(mirror.find(ORG, "c-2").orElseThrow().state().version()).isEqualTo(3);
    assertThat(salesforce.savedRecords("c-1")).containsExactly(Map.of("Status__c", "再決済待ち"));
    assertThat(salesforce.savedRecords("c-2")).containsExactly(Map.of("Status__c", "再決済待ち"));
  }

  @Test
  void aSnapshotOfAPollNamingAnotherOrganisationStopsItOnceTheOnesBeforeItAreKept() {
    change("c-1", 1, Status.RETRYING);

    var failure = org.assertj.core.api.Assertions.catchThrowableOfType(io.tsuzuku.kit.BatchFailedAt.class,
        () -> statusMirror.statusChangedAll(List.of(
            incoming("c-4", 1, Status.RETRYING),
            new MirrorStore.Incoming(new ContractState("org-forged", "c-1", 9, Status.CANCELLED, null, null, null), null),
            incoming("c-5", 1, Status.RETRYING))));

    assertThat(failure.index()).isEqualTo(1);
    assertThat(failure.getCause()).isInstanceOf(io.tsuzuku.kit.ForeignOrganisationException.class);
    assertThat(mirror.find(ORG, "c-4")).isPresent();
    assertThat(mirror.find(ORG, "c-1").orElseThrow().state().version()).isEqualTo(1);
    assertThat(mirror.find(ORG, "c-5")).as("after the record that failed: it comes again").isEmpty();
  }

  @Test
  void aChangeThatWritesTheSameValueIsNotSent() {
    change("c-1", 1, Status.RETRYING);
    lingerAndSync();

    change("c-1", 2, Status.ERROR); // legacy: ERROR is written like RETRYING
    lingerAndSync();

    assertThat(salesforce.upsertCalls()).isEqualTo(1);
    assertThat(mirror.find(ORG, "c-1").orElseThrow().pending()).isFalse();
  }

  @Test
  void aRejectedRecordIsKeptListedAndSentAgainOnceTheOrgAcceptsIt() {
    settings.switchMode(ORG, MappingMode.RECONFIGURED);
    salesforce.restrictPicklist("Status__c", Set.of("継続中", "リトライ中", "解約"));
    change("c-000", 1, Status.ERROR);
    IntStream.range(1, 200).forEach(i -> change("c-%03d".formatted(i), 1, Status.RETRYING));

    sync.runPass("test");

    assertThat(salesforce.completedBatchSizes()).containsExactly(200);
    assertThat(IntStream.range(1, 200).filter(i -> salesforce.record("c-%03d".formatted(i)).equals(Map.of("Status__c", "リトライ中"))))
        .hasSize(199);
    assertThat(rejected.list(ORG, null, 10)).singleElement().satisfies(c -> {
      assertThat(c.contractId()).isEqualTo("c-000");
      assertThat(c.rejection().code()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
      assertThat(c.rejection().hint()).contains("add it in Salesforce Setup");
      assertThat(c.dueAt()).isEqualTo(START.plus(SyncPolicy.DEFAULT.rejected().after(1)));
    });

    sync.runPass("test"); // before its back-off: not sent again
    assertThat(salesforce.upsertCalls()).isEqualTo(1);

    salesforce.restrictPicklist("Status__c", Set.of("継続中", "リトライ中", "エラー", "解約"));
    clock.advance(SyncPolicy.DEFAULT.rejected().after(1));
    sync.runPass("test");

    assertThat(salesforce.record("c-000")).containsEntry("Status__c", "エラー");
    assertThat(rejected.list(ORG, null, 10)).isEmpty();
    assertThat(mirror.backlog(ORG, "").pending()).isZero();
  }

  @Test
  void aRejectedRecordIsSentAgainOnDemandBeforeItsBackOff() {
    settings.switchMode(ORG, MappingMode.RECONFIGURED);
    salesforce.restrictPicklist("Status__c", Set.of("継続中"));
    change("c-1", 1, Status.ERROR);
    lingerAndSync();
    assertThat(rejected.list(ORG, null, 10)).hasSize(1);

    salesforce.restrictPicklist("Status__c", Set.of("継続中", "エラー"));
    assertThat(rejected.resend(ORG, List.of("c-1"))).isEqualTo(1);
    sync.runPass("test");

    assertThat(salesforce.record("c-1")).containsEntry("Status__c", "エラー");
    assertThat(rejected.list(ORG, null, 10)).isEmpty();
  }

  @Test
  void anOutageThenTheDailyLimitPauseTheOrganisationAndLoseNothing() {
    var statuses = List.of(Status.ACTIVE, Status.RETRYING, Status.ERROR, Status.CANCELLED);
    IntStream.range(0, 300).forEach(i -> change("c-" + i, 1, Status.ACTIVE));
    salesforce.failWith(aResponse().withStatus(503));

    sync.runPass("test");
    var paused = organisations.find(ORG).orElseThrow().state();
    assertThat(paused.pausedUntil()).isEqualTo(START.plus(SyncPolicy.DEFAULT.unavailable().after(1)));
    assertThat(paused.lastError()).startsWith("503");

    // changes keep coming while Salesforce is down
    for (int round = 1; round < statuses.size(); round++) {
      var status = statuses.get(round);
      var version = round + 1;
      IntStream.range(0, 300).forEach(i -> change("c-" + i, version, status));
      clock.advance(Duration.ofSeconds(1));
      sync.runPass("test"); // still paused: no call
    }
    assertThat(salesforce.apiCalls()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(1));
    sync.runPass("test"); // 503 again: the pause grows
    assertThat(organisations.find(ORG).orElseThrow().state().failures()).isEqualTo(2);

    salesforce.failWith(aResponse().withStatus(403).withBody("[{\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"TotalRequests Limit exceeded.\"}]"));
    clock.advance(Duration.ofMinutes(1));
    sync.runPass("test");
    var limited = organisations.find(ORG).orElseThrow().state();
    assertThat(limited.pausedUntil()).isEqualTo(clock.instant().plus(SyncPolicy.DEFAULT.requestLimit().after(3)));
    assertThat(limited.lastError()).startsWith("REQUEST_LIMIT_EXCEEDED");

    salesforce.recover();
    clock.advance(Duration.ofMinutes(59));
    sync.runPass("test"); // not yet
    assertThat(salesforce.recordCount()).isZero();
    clock.advance(Duration.ofMinutes(1));
    sync.runPass("test");

    assertThat(IntStream.range(0, 300).mapToObj(i -> salesforce.savedRecords("c-" + i)))
        .allSatisfy(saved -> assertThat(saved).containsExactly(Map.of("Status__c", "解約")));
    assertThat(organisations.find(ORG).orElseThrow().state().failures()).isZero();
  }

  @Test
  void nearTheDailyLimitCallsAreSpacedOut() {
    salesforce.dailyLimit(1_000, 849);
    change("c-1", 1, Status.ACTIVE);
    lingerAndSync(); // a query and an update: the answer says 851/1000

    change("c-2", 1, Status.ACTIVE);
    lingerAndSync();
    assertThat(salesforce.upsertCalls()).isEqualTo(1);

    clock.advance(SyncPolicy.DEFAULT.spacing(new io.tsuzuku.crmsync.domain.ApiUsage(851, 1_000)));
    sync.runPass("test");
    assertThat(salesforce.upsertCalls()).isEqualTo(2);
    assertThat(organisations.find(ORG).orElseThrow().state().usage().used()).isEqualTo(853);
  }

  /**
   * A field the org lacks is refused with every call: retrying every few minutes for ever would
   * only burn the org's API calls. The organisation waits, with Salesforce's reason, until its
   * administrator saves the settings (fixed, or the same once the org is fixed).
   */
  @Test
  void settingsSalesforceRefusesPauseTheOrganisationUntilTheyAreSavedAgain() {
    salesforce.objectFields(Set.of("Tsuzuku_Contract_Id__c", "Status"));
    change("c-1", 1, Status.ACTIVE);

    lingerAndSync();
    var state = organisations.find(ORG).orElseThrow().state();
    assertThat(state.waitingForSettings()).isTrue();
    assertThat(state.lastError()).contains("INVALID_FIELD", "Status__c", "saved");
    var calls = salesforce.apiCalls();
    clock.advance(Duration.ofDays(2));
    sync.runPass("test");
    assertThat(salesforce.apiCalls()).as("no call while the settings stand").isEqualTo(calls);

    salesforce.objectFields(Set.of("Tsuzuku_Contract_Id__c", "Status__c")); // the administrator adds the field in Salesforce
    var current = organisations.find(ORG).orElseThrow();
    settings.configure(ORG, new IntegrationSettings.Request(current.connection().loginUrl(), current.connection().clientId(), null,
        null, "Recurring_Contract__c", "Tsuzuku_Contract_Id__c", "Status__c", null, MappingMode.LEGACY, null, null, null));
    sync.runPass("test");

    assertThat(salesforce.record("c-1")).containsEntry("Status__c", "継続中");
    assertThat(organisations.find(ORG).orElseThrow().state().waitingForSettings()).isFalse();
  }

  @Test
  void reconfiguringReSendsExactlyTheContractsWhoseValueChanges() {
    change("active", 1, Status.ACTIVE);
    change("retrying", 1, Status.RETRYING);
    change("error", 1, Status.ERROR);
    change("cancelled", 1, Status.CANCELLED);
    lingerAndSync();
    assertThat(salesforce.record("error")).containsEntry("Status__c", "再決済待ち");
    var before = salesforce.upsertCalls();

    var organisation = organisations.find(ORG).orElseThrow();
    settings.configure(ORG, new IntegrationSettings.Request(
        organisation.connection().loginUrl(), organisation.connection().clientId(), null, null,
        "Recurring_Contract__c", "Tsuzuku_Contract_Id__c", "Status__c", null, MappingMode.RECONFIGURED, null,
        new ExtraFields("Error_Since__c", "Last_Failure__c", "Next_Retry_On__c"), null));
    sync.runPass("test"); // compares every contract with what Salesforce shows
    lingerAndSync();

    assertThat(salesforce.upsertCalls()).isEqualTo(before + 1);
    assertThat(salesforce.completedBatchSizes()).last().isEqualTo(2);
    assertThat(salesforce.record("retrying")).containsEntry("Status__c", "リトライ中");
    assertThat(salesforce.record("error")).containsEntry("Status__c", "エラー").containsEntry("Error_Since__c", START.minus(Duration.ofDays(30)).toString())
        .containsEntry("Last_Failure__c", "insufficient_funds");
    assertThat(salesforce.savedRecords("active")).hasSize(1);
    assertThat(salesforce.savedRecords("cancelled")).hasSize(1);
    var progress = settings.view(ORG);
    assertThat(progress.organisation().state().reconfiguration().scanned()).isEqualTo(4);
    assertThat(progress.organisation().state().reconfiguration().marked()).isEqualTo(2);
    assertThat(progress.backlog().pendingFor()).isZero();

    // idempotent: the same settings again re-send nothing
    settings.switchMode(ORG, MappingMode.RECONFIGURED);
    sync.runPass("test");
    lingerAndSync();
    assertThat(salesforce.upsertCalls()).isEqualTo(before + 1);
  }

  @Test
  void anInstanceThatLosesTheLeaseDuringAReconfigurationScanStopsAndSendsNothing() {
    IntStream.range(0, 1_100).forEach(i -> change("c-" + i, 1, Status.ERROR));
    lingerAndSync();
    var before = salesforce.upsertCalls();
    settings.switchMode(ORG, MappingMode.RECONFIGURED);
    // the scan's first page takes a minute, its second three (a long pause): the lease (two minutes)
    // runs out and another instance takes the organisation
    var pages = new java.util.concurrent.atomic.AtomicInteger();
    var slowMirror = (io.tsuzuku.crmsync.application.port.MirrorStore) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {io.tsuzuku.crmsync.application.port.MirrorStore.class},
        (proxy, method, arguments) -> {
          if (method.getName().equals("page")) {
            clock.advance(Duration.ofMinutes(pages.incrementAndGet() == 1 ? 1 : 3));
            if (pages.get() == 2) {
              assertThat(organisations.claim(ORG, "other", clock.instant(), clock.instant().plus(Duration.ofMinutes(2)))).isTrue();
            }
          }
          try {
            return method.invoke(mirror, arguments);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    var slow = new SalesforceSync(organisations, slowMirror, new SalesforceRestClient(organisations, TestOrganisations.LOCAL_URLS, "v62.0", Duration.ofSeconds(5),
        Duration.ofHours(1),
        io.micrometer.observation.ObservationRegistry.NOOP), SyncPolicy.DEFAULT, clock, Duration.ofMinutes(2));

    slow.runPass("test");

    assertThat(pages).as("pages scanned before the lease was found lost").hasValue(2);
    assertThat(salesforce.upsertCalls()).as("calls while another instance held the organisation").isEqualTo(before);
    assertThat(organisations.claim(ORG, "test", clock.instant(), clock.instant().plus(Duration.ofMinutes(2))))
        .as("the other instance still holds it").isFalse();

    clock.advance(Duration.ofMinutes(3)); // the other instance went away; this one finishes the scan and sends
    sync.runPass("test");
    lingerAndSync();
    assertThat(salesforce.record("c-1099")).containsEntry("Status__c", "エラー");
    assertThat(settings.view(ORG).organisation().state().reconfiguration().scanned()).isEqualTo(1_100);
  }

  @Test
  void aJumpOfTheBusinessClockDuringABatchDoesNotHandTheOrganisationToAnotherInstance() {
    change("c-1", 1, Status.ACTIVE);
    lingerAndSync();
    change("c-1", 2, Status.RETRYING);
    clock.advance(SyncPolicy.DEFAULT.linger());
    var machine = new MovableClock(Instant.parse("2026-11-26T12:00:00Z")); // leases end by this one
    var client = new SalesforceRestClient(organisations, TestOrganisations.LOCAL_URLS, "v62.0", Duration.ofSeconds(5), Duration.ofHours(1),
        io.micrometer.observation.ObservationRegistry.NOOP);
    var other = new SalesforceSync(organisations, mirror, client, SyncPolicy.DEFAULT, clock, machine, Duration.ofMinutes(2),
        SalesforceSync.Measures.NONE);
    var callsByTheOther = new java.util.concurrent.atomic.AtomicInteger(-1);
    // while this instance's batch (RETRYING) is on its way, the business clock jumps a week and a
    // newer state (ACTIVE again) arrives; the other instance looks at the organisation
    var jumping = (io.tsuzuku.crmsync.application.port.MirrorStore) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {io.tsuzuku.crmsync.application.port.MirrorStore.class},
        (proxy, method, arguments) -> {
          if (method.getName().equals("markSynced") && callsByTheOther.get() < 0) {
            clock.advance(Duration.ofDays(7));
            change("c-1", 3, Status.ACTIVE);
            clock.advance(SyncPolicy.DEFAULT.linger());
            var before = salesforce.upsertCalls();
            other.runPass("other");
            callsByTheOther.set(salesforce.upsertCalls() - before);
          }
          try {
            return method.invoke(mirror, arguments);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    var first = new SalesforceSync(organisations, jumping, client, SyncPolicy.DEFAULT, clock, machine, Duration.ofMinutes(2),
        SalesforceSync.Measures.NONE);

    first.runPass("first");

    assertThat(callsByTheOther).as("calls by the other instance while the lease held").hasValue(0);
    other.runPass("other"); // the organisation is free again: the newer state goes out
    assertThat(salesforce.record("c-1")).containsEntry("Status__c", "継続中");
    assertThat(mirror.find(ORG, "c-1").orElseThrow().writtenFields()).containsEntry("Status__c", "継続中");
  }

  private void change(String contractId, long version, Status status) {
    statusMirror.statusChanged(new ContractState(
        ORG, contractId, version, status, status == Status.ERROR ? START.minus(Duration.ofDays(30)) : null,
        status == Status.RETRYING || status == Status.ERROR ? "insufficient_funds" : null, null));
  }

  private static MirrorStore.Incoming incoming(String contractId, long version, Status status) {
    return new MirrorStore.Incoming(new ContractState(ORG, contractId, version, status,
        status == Status.ERROR ? START.minus(Duration.ofDays(30)) : null, status == Status.ACTIVE ? null : "insufficient_funds", null),
        null);
  }

  private void lingerAndSync() {
    clock.advance(SyncPolicy.DEFAULT.linger());
    sync.runPass("test");
  }
}
