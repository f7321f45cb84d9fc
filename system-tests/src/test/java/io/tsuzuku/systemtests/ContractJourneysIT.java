package io.tsuzuku.systemtests;

import io.tsuzuku.standins.LocalSealingKeys;
import io.tsuzuku.schemas.KafkaAccess;
import io.tsuzuku.localstack.LocalSystem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.BillingInterval;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractCancellationRequested;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.FinalNoticeRequested;
import io.tsuzuku.events.ManualRetryRequested;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.RefundSettled;
import io.tsuzuku.events.RetriesExhausted;
import io.tsuzuku.events.RetryScheduled;
import io.tsuzuku.events.RepaymentDeadlineMissed;
import io.tsuzuku.events.RepaymentDeadlinePassed;
import io.tsuzuku.events.PaymentMethodChangeRequested;
import io.tsuzuku.events.PaymentMethodUpdated;
import io.tsuzuku.events.RepaymentRequested;
import io.tsuzuku.events.RepaymentSubmitted;
import io.tsuzuku.events.Requester;
import io.tsuzuku.kit.DeadLetters;
import io.tsuzuku.schemas.Topic;
import io.tsuzuku.schemas.Topics;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.localstack.LocalSystem.Service;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The place to start reading: contracts driven through every path of docs/state-machine.md by the four services
 * together, as the local stack runs them, on the real broker, registry and MongoDB-wire server,
 * with the payment simulator (the card token decides the outcome) and a WireMock Salesforce org.
 * One clock moves for all: 09:00 (Asia/Tokyo) is the daily billing run, 10:00 the retries. Each
 * test is an organisation of its own, with contracts whose first charge is the next day. Every
 * service runs as two instances, as a deployment would: they share the partitions, the leases and
 * the claims, and every journey ends as it does with one (DuplicatedDeliveryIT runs one of each).
 */
@WithEmbeddedInfrastructure
class ContractJourneysIT {

  private static final LocalTime BILLING_RUN = LocalTime.of(9, 0, 30);
  private static final LocalTime RETRIES = LocalTime.of(10, 0, 30);

  private static Journeys system;

  private String org;
  private LocalDate firstCharge;

  @BeforeAll
  static void startTheSystem(Endpoints endpoints) {
    // a charge whose answer did not come back is read back from the processor within a second or two
    system = Journeys.start(endpoints, List.of("tsuzuku.billing.reconcile.interval=PT1S"), 2);
  }

  @AfterAll
  static void stopTheSystem() throws InterruptedException {
    system.close();
  }

  @BeforeEach
  void anOrganisationMirroredInSalesforce() {
    org = "org-" + UUID.randomUUID().toString().substring(0, 8);
    system.configureSalesforce(org);
    firstCharge = system.today().plusDays(1);
  }

  /**
   * The console's Salesforce page across the two services: the status-service tells the console
   * where the crm-sync-service's API is, that service lets the console's origin in (and no other),
   * and the administrator's check reaches the organisation's Salesforce.
   */
  @Test
  void theConsolesSalesforcePageReachesTheIntegrationApiFromTheConsolesOriginOnly() {
    var console = system.consoleOrigin();

    var preflight = system.fromTheConsole(org, "POST", "/check", console, true);
    var check = system.fromTheConsole(org, "POST", "/check", console, false);
    var elsewhere = system.fromTheConsole(org, "POST", "/check", "https://elsewhere.example", true);

    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(console);
    assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
    assertThat(check.headers().firstValue("Access-Control-Allow-Origin")).hasValue(console);
    assertThat(check.body()).contains("\"connected\":true");
    assertThat(elsewhere.statusCode()).isEqualTo(403);
    assertThat(elsewhere.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void aCurrentContractRetriesWeeklyWaitsInErrorAndComesBackOnABulkManualRetry() {
    var contract = org + "-current";
    var stillInError = org + "-still-in-error";
    var cardWorksFrom = firstCharge.plusDays(100);
    system.register(org, contract, Cohort.CURRENT, "tok_decline_until_" + cardWorksFrom, firstCharge);
    system.register(org, stillInError, Cohort.CURRENT, "tok_decline_insufficient_funds", firstCharge);
    system.awaitRegistered(org, contract);
    system.awaitRegistered(org, stillInError);

    failsEveryAutomaticRetry(contract);
    system.awaitStatus(org, stillInError, "ERROR");
    assertThat(system.charges(contract)).containsExactly("SCHEDULED failed", "AUTO_RETRY failed", "AUTO_RETRY failed", "AUTO_RETRY failed");
    // not reconfigured yet: Salesforce shows ERROR as the old failed-payment value
    system.awaitSalesforceShows(contract, "再決済待ち");

    // months without a charge: ERROR never cancels itself and is not charged
    for (int month = 1; month <= 3; month++) {
      system.at(firstCharge.plusMonths(month), BILLING_RUN.plusMinutes(30));
    }
    assertThat(system.statusOf(org, contract)).isEqualTo("ERROR");
    assertThat(system.charges(contract)).hasSize(4);

    // the administrator orders a manual retry for a date, in bulk
    var retryOn = system.today().plusDays(10);
    var answer = system.post(Service.STATUS, "/api/orgs/" + org + "/manual-retries", org,
        "{\"contractIds\":[\"" + contract + "\"],\"retryOn\":\"" + retryOn + "\"}");
    assertThat(answer.get("summary").get("SCHEDULED").asInt()).isEqualTo(1);
    system.at(retryOn.minusDays(1), RETRIES);
    assertThat(system.charges(contract)).hasSize(4); // not before its date

    system.at(retryOn, RETRIES);
    system.awaitStatus(org, contract, "ACTIVE");
    assertThat(system.charges(contract)).endsWith("MANUAL_RETRY paid").hasSize(5);
    system.awaitSalesforceShows(contract, "継続中");
    // the next scheduled charge is on the first anchor date after the payment
    var nextAnchor = firstCharge.plusMonths(4);
    assertThat(nextAnchor).isAfter(retryOn);
    system.at(nextAnchor, BILLING_RUN);
    await().untilAsserted(() -> assertThat(system.charges(contract)).endsWith("SCHEDULED paid").hasSize(6));

    // the organisation reconfigures its integration: the contract still in ERROR shows エラー
    assertThat(system.salesforceStatus(stillInError)).isEqualTo("再決済待ち");
    system.put(Service.CRM_SYNC, "/api/orgs/" + org + "/salesforce/mode", org, "{\"mode\":\"RECONFIGURED\"}");
    system.awaitSalesforceShows(stillInError, "エラー");
    assertThat(system.salesforceRecord(stillInError)).containsEntry("Last_Failure__c", "insufficient_funds");
    assertThat(system.salesforceStatus(contract)).isEqualTo("継続中");
    assertThat(system.eventTypes(contract)).contains(
        "ContractRegistered", "PaymentFailed", "RetryScheduled", "RetriesExhausted", "ManualRetryRequested", "ChargeRequested",
        "PaymentSucceeded", "ContractStatusChanged");

    // and an operator sees it in every service's measures (GET /actuator/prometheus)
    assertThat(system.measure(Service.STATUS, "tsuzuku_outbox_published_total", "relay=\"status-outbox\"")).isPositive();
    assertThat(system.measure(Service.BILLING, "tsuzuku_outbox_published_total", "relay=\"billing-outbox\"")).isPositive();
    assertThat(system.measure(Service.BILLING, "tsuzuku_charges_total", "outcome=\"FAILED\"", "kind=\"AUTO_RETRY\""))
        .isGreaterThanOrEqualTo(3);
    assertThat(system.measure(Service.BILLING, "tsuzuku_charges_total", "outcome=\"SUCCEEDED\"", "kind=\"MANUAL_RETRY\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(system.measure(Service.RETRY, "tsuzuku_retry_jobs_total", "kind=\"AUTO_RETRY\"", "result=\"DONE\""))
        .isGreaterThanOrEqualTo(3);
    assertThat(system.measure(Service.CRM_SYNC, "tsuzuku_salesforce_records_total", "result=\"written\"")).isPositive();
    // every measure the Grafana dashboard draws is one the services serve (counters of what this
    // journey does not do appear once it happens: a Salesforce pause, a dead letter)
    var dashboard = readDashboard();
    var drawn = java.util.regex.Pattern.compile("tsuzuku_[a-z_]+").matcher(dashboard).results()
        .map(java.util.regex.MatchResult::group).collect(java.util.stream.Collectors.toSet());
    drawn.removeAll(java.util.Set.of("tsuzuku_salesforce_pauses_total", "tsuzuku_dead_letters_total"));
    assertThat(drawn).hasSizeGreaterThan(8);
    assertThat(system.measureNames()).containsAll(drawn);
  }

  @Test
  void aDoubleClickedRepaymentIsChargedOnceAndARepaymentForACancelledContractIsRefused() {
    var doubleClicked = org + "-double-click";
    var cancelled = org + "-cancelled";
    system.register(org, doubleClicked, Cohort.CURRENT, "tok_decline_insufficient_funds", firstCharge);
    system.register(org, cancelled, Cohort.CURRENT, "tok_decline_insufficient_funds", firstCharge);
    system.awaitRegistered(org, doubleClicked);
    system.awaitRegistered(org, cancelled);
    system.at(firstCharge, BILLING_RUN);
    system.awaitStatus(org, doubleClicked, "RETRYING");
    system.awaitStatus(org, cancelled, "RETRYING");

    // the supporter clicks "pay" twice: two re-payments of the same period
    system.at(firstCharge.plusDays(2), LocalTime.of(12, 0));
    system.repay(org, doubleClicked, firstCharge, "tok_visa");
    system.repay(org, doubleClicked, firstCharge, "tok_visa");
    system.awaitStatus(org, doubleClicked, "ACTIVE");
    await().untilAsserted(() -> assertThat(system.refusals(doubleClicked)).containsExactly("SUPPORTER_REPAYMENT period_already_paid"));
    assertThat(system.charges(doubleClicked)).containsExactly("SCHEDULED failed", "SUPPORTER_REPAYMENT paid");

    // the administrator cancels; an old re-payment link is used afterwards
    system.post(Service.STATUS, "/api/orgs/" + org + "/cancellations", org,
        "{\"contractIds\":[\"" + cancelled + "\"],\"reason\":\"支援者の希望\"}");
    system.awaitStatus(org, cancelled, "CANCELLED");
    system.awaitBillingKnows(cancelled, "CANCELLED");
    system.repay(org, cancelled, firstCharge, "tok_visa");
    await().untilAsserted(() -> assertThat(system.refusals(cancelled)).contains("SUPPORTER_REPAYMENT contract_cancelled"));
    assertThat(system.charges(cancelled)).containsExactly("SCHEDULED failed");
    assertThat(system.statusOf(org, cancelled)).isEqualTo("CANCELLED");
  }

  /**
   * Another team's records with values the domain forbids, on every intake topic: each service
   * sets each aside on its dead-letter topic at once, naming the rule it breaks, changes nothing
   * for it, and goes on with the records after it on the same partition.
   */
  @Test
  void recordsWithImpossibleValuesAreSetAsideWithTheirReasonAndTheContractsAfterThemAreCharged() {
    var impossible = org + "-anchor-day-32";
    var after = system.onTheSamePartition(Topics.CONTRACT_REGISTERED, impossible, org + "-after");
    system.sendAll(List.of(
        system.registration(org, impossible, Cohort.CURRENT, BillingInterval.MONTHLY, 32, firstCharge, 3_000, "tok_visa")));
    system.register(org, after, Cohort.CURRENT, "tok_visa", firstCharge);
    system.awaitRegistered(org, after);
    system.sendAll(List.of(
        RepaymentSubmitted.newBuilder().setHeader(header(after, "e-" + after)).setPeriod(LocalDate.of(1970, 1, 1))
            .setAmountYen(-3_000).setPaymentMethodToken("tok_visa").build(),
        ContractCancellationRequested.newBuilder().setHeader(header(after, " ")).setRequestedBy(Requester.SUPPORTER).build()));

    system.at(firstCharge, BILLING_RUN);

    await().untilAsserted(() -> assertThat(system.charges(after)).containsExactly("SCHEDULED paid"));
    assertThat(system.statusOf(org, after)).isEqualTo("ACTIVE");
    assertThat(system.charges(impossible)).isEmpty();
    await().untilAsserted(() -> {
      assertThat(deadLetters(Topics.CONTRACT_REGISTERED, impossible)).as("billing, retry and status each set it aside")
          .hasSizeGreaterThanOrEqualTo(3)
          .allSatisfy(reason -> assertThat(reason).contains("anchorDay 32 is not a day of a month (1-31)"));
      assertThat(deadLetters(Topics.REPAYMENT_SUBMITTED, after)).isNotEmpty().allSatisfy(reason -> assertThat(reason)
          .contains("period 1970-01-01 is not a date").contains("amountYen -3000 is not an amount"));
      assertThat(deadLetters(Topics.CONTRACT_CANCELLATION_REQUESTED, after)).isNotEmpty()
          .allSatisfy(reason -> assertThat(reason).contains("header.eventId is blank"));
    });
    assertThat(system.statusOf(org, after)).isEqualTo("ACTIVE");
  }

  /**
   * A forger copies every record ever written about a contract, on every topic, and sends each
   * again under another organisation (a new event id, the rest as it was). Every service that reads
   * a topic refuses each copy it handles with the reason (a contract never changes organisation), and
   * nothing changes for the contract anywhere: its status, its ledger, its retry plan, its
   * Salesforce record. A copy of a type a reader does not handle (billing passes over retries
   * planned or given up) changes nothing either.
   */
  @Test
  void copiesOfAContractsRecordsUnderAnotherOrganisationAreRefusedByEveryReaderAndChangeNothing() {
    var contract = org + "-copied";
    recoversOnItsSecondRetry(contract);
    system.awaitSalesforceShows(contract, "継続中");
    system.awaitQuiet();
    var before = whereItStandsEverywhere(contract);
    var written = List.copyOf(system.events(contract));
    var paid = system.events(contract, PaymentSucceeded.class).get(0);

    var intruder = "intruder-" + org;
    var copies = new ArrayList<SpecificRecord>();
    for (var record : written) {
      copies.add(underAnotherOrganisation(record, intruder));
    }
    var now = java.time.Instant.now(Journeys.CLOCK);
    copies.add(RepaymentSubmitted.newBuilder().setHeader(header(contract, UUID.randomUUID().toString()))
        .setPeriod(firstCharge.plusMonths(1)).setAmountYen(3_000).setPaymentMethodToken("tok_visa." + contract).build());
    copies.add(ContractCancellationRequested.newBuilder().setHeader(header(contract, UUID.randomUUID().toString()))
        .setRequestedBy(Requester.SUPPORTER).build());
    copies.add(ManualRetryRequested.newBuilder().setHeader(header(contract, UUID.randomUUID().toString()))
        .setRetryOn(system.today()).setRunAt(now).setPeriod(firstCharge).setRequestedBy("admin@" + org).build());
    copies.add(RefundSettled.newBuilder().setHeader(header(contract, UUID.randomUUID().toString()))
        .setAttemptId(paid.getAttemptId()).setAmountYen(3_000).setSettledBy("admin@" + org).build());
    // a new card whose token the forger sealed for the other organisation with billing's published key: it opens
    var forgedHeader = EventHeader.newBuilder(header(contract, UUID.randomUUID().toString())).setOrgId(intruder).build();
    var cardUpdate = LocalSealingKeys.sealed(PaymentMethodUpdated.newBuilder().setHeader(forgedHeader)
        .setPaymentMethodToken("tok_visa.thief").build());
    copies.add(cardUpdate);
    copies.add(PaymentMethodChangeRequested.newBuilder().setHeader(header(contract, UUID.randomUUID().toString()))
        .setUpdatedFrom(contract).setPaymentMethodToken(cardUpdate.getPaymentMethodToken()).build());
    copies.subList(written.size(), copies.size()).forEach(copy -> Journeys.header(copy).setOrgId(intruder));
    system.sendAll(copies);

    var expected = new TreeSet<String>();
    for (var copy : copies) {
      var topic = Topics.of(copy.getClass());
      topic.readers().stream()
          .filter(reader -> Arrays.stream(Service.values()).anyMatch(service -> service.configName().equals(reader)))
          .filter(reader -> !(reader.equals(Topics.BILLING_SERVICE)
              && (copy instanceof RetryScheduled || copy instanceof RetriesExhausted)))
          .forEach(reader -> expected.add(topic.name() + " refused by " + reader));
    }
    assertThat(expected).as("every topic a service reads, by each of its readers").hasSize(16);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(refusals(copies, contract, intruder))
        .containsAll(expected));
    system.awaitQuiet();
    assertThat(whereItStandsEverywhere(contract)).isEqualTo(before);
    assertThat(system.events(contract)).filteredOn(event -> org.equals(Journeys.header(event).getOrgId()))
        .hasSize(written.size());
  }

  /**
   * A registration's payment-method token reaches billing only, and its supporter the
   * status-service only: on the topic both are sealed text, the retry-service keeps neither, the
   * status-service no token and billing no supporter; billing charges the card with the token.
   */
  @Test
  void aRegistrationsTokenReachesOnlyBillingAndItsSupporterOnlyTheStatusService() {
    var contract = org + "-sealed";
    system.register(org, contract, Cohort.CURRENT, "tok_visa", firstCharge);
    system.awaitRegistered(org, contract);
    system.at(firstCharge, BILLING_RUN);
    await().untilAsserted(() -> assertThat(system.events(contract)).hasAtLeastOneElementOfType(PaymentSucceeded.class));
    system.awaitQuiet();
    var token = Journeys.cardOf("tok_visa", contract);
    var email = contract + "@example.org";

    var registered = system.events(contract).stream().filter(ContractRegistered.class::isInstance).findFirst().orElseThrow();
    assertThat(registered.toString()).as("the registration on the topic").doesNotContain(token, email, "支援者", "\"s-" + contract + "\"");
    assertThat(system.stored(Service.BILLING, token)).as("billing charges with the token").isNotEmpty();
    assertThat(system.stored(Service.STATUS, email)).as("the status-service shows the supporter").isNotEmpty();
    for (var service : Service.values()) {
      if (service != Service.BILLING) {
        assertThat(system.stored(service, token)).as(service + " keeps the token").isEmpty();
      }
      if (service != Service.STATUS) {
        assertThat(system.stored(service, email)).as(service + " keeps the supporter's e-mail").isEmpty();
      }
    }
  }

  /**
   * The record as a forger re-sends it: the same, with a new event id and another organisation; a
   * registration's sealed fields sealed again for that organisation, as whoever writes the intake
   * topic can with the published public keys (a sealed field bound to the first would not even open).
   */
  private static SpecificRecord underAnotherOrganisation(
      SpecificRecord record, String orgId) {
    var original = record instanceof ContractRegistered registered ? LocalSealingKeys.opened(registered) : record;
    var copy = SpecificData.getForClass(original.getClass()).deepCopy(original.getSchema(), original);
    Journeys.header(copy).setOrgId(orgId);
    Journeys.header(copy).setEventId(UUID.randomUUID().toString());
    return copy instanceof ContractRegistered registration ? LocalSealingKeys.sealed(registration) : copy;
  }

  /** "topic refused by group" for every dead letter of the contract that names the organisation. */
  private Set<String> refusals(List<SpecificRecord> copies, String contractId, String orgId) {
    var refused = new TreeSet<String>();
    try (var deadLetters = new DeadLetters(system.endpoints().kafkaClient(KafkaAccess.DEPLOYMENT))) {
      for (var topic : copies.stream().map(copy -> Topics.of(copy.getClass())).distinct().toList()) {
        deadLetters.list(topic.deadLetterTopic()).stream()
            .filter(letter -> contractId.equals(letter.key()) && letter.reason().contains("the event names " + orgId))
            .forEach(letter -> refused.add(topic.name() + " refused by " + letter.group()));
      }
    }
    return refused;
  }

  /** The contract as each service keeps it (billing's with its attempts), and as Salesforce shows it. */
  private List<Object> whereItStandsEverywhere(String contractId) {
    return List.of(system.contract(org, contractId),
        system.collection(Service.BILLING, "billed_contracts").find(new Document("_id", contractId)).first(),
        system.collection(Service.RETRY, "contract_views").find(new Document("_id", contractId)).first(),
        system.salesforceRecord(contractId));
  }

  private List<String> deadLetters(Topic topic, String contractId) {
    try (var deadLetters = new DeadLetters(system.endpoints().kafkaClient(KafkaAccess.DEPLOYMENT))) {
      return deadLetters.list(topic.deadLetterTopic()).stream()
          .filter(letter -> contractId.equals(letter.key())).map(DeadLetters.DeadLetter::reason).toList();
    }
  }

  private EventHeader header(String contractId, String eventId) {
    return EventHeader.newBuilder().setEventId(eventId).setOrgId(org).setContractId(contractId)
        .setOccurredAt(java.time.Instant.now(Journeys.CLOCK)).build();
  }

  @Test
  void aContractRecoversOnItsSecondRetry() {
    var contract = org + "-recovers";
    recoversOnItsSecondRetry(contract);
    system.awaitRegistered(org, contract);

    system.at(firstCharge.plusWeeks(3), RETRIES.plusHours(1)); // the third retry was withdrawn
    assertThat(system.charges(contract)).containsExactly("SCHEDULED failed", "AUTO_RETRY failed", "AUTO_RETRY paid");
    system.awaitSalesforceShows(contract, "継続中");
  }

  @Test
  void aSupporterRepaysOutOfError() {
    var contract = org + "-repays";
    system.register(org, contract, Cohort.CURRENT, "tok_decline_insufficient_funds", firstCharge);
    system.awaitRegistered(org, contract);
    failsEveryAutomaticRetry(contract);

    system.repay(org, contract, firstCharge, "tok_visa");

    system.awaitStatus(org, contract, "ACTIVE");
    assertThat(system.charges(contract)).hasSize(5).endsWith("SUPPORTER_REPAYMENT paid");
    system.awaitSalesforceShows(contract, "継続中");
  }

  /**
   * The holder revoked the card's mandate: no automatic retry (ERROR at once), the administrator's
   * manual retry refused up front, a re-payment with the same card refused by billing before the
   * processor; the supporter's new card is charged and the contract comes back.
   */
  @Test
  void aRevokedCardIsNeverChargedAgainUntilTheSupporterGivesANewOne() {
    var contract = org + "-revoked";
    system.register(org, contract, Cohort.CURRENT, "tok_decline_revocation_of_all_authorizations", firstCharge);
    system.awaitRegistered(org, contract);

    system.at(firstCharge, BILLING_RUN);
    system.awaitStatus(org, contract, "ERROR");
    system.at(firstCharge.plusWeeks(3), RETRIES.plusHours(1)); // the weeks of automatic retries pass
    var answer = system.post(Service.STATUS, "/api/orgs/" + org + "/manual-retries", org,
        "{\"contractIds\":[\"" + contract + "\"],\"retryOn\":\"" + system.today() + "\"}");
    assertThat(answer.get("items").get(0).get("reason").asText()).isEqualTo("NEW_CARD_REQUIRED");
    system.repay(org, contract, firstCharge, null);
    await().untilAsserted(() -> assertThat(system.refusals(contract)).contains("SUPPORTER_REPAYMENT new_card_required"));
    assertThat(system.charges(contract)).containsExactly("SCHEDULED failed");

    system.repay(org, contract, firstCharge, "tok_visa");

    system.awaitStatus(org, contract, "ACTIVE");
    assertThat(system.charges(contract)).containsExactly("SCHEDULED failed", "SUPPORTER_REPAYMENT paid");
    assertThat(system.eventTypes(contract)).doesNotContain("RetryScheduled", "ChargeRequested");
  }

  /**
   * A supporter whose card was revoked has three contracts in ERROR (nothing retries them) and one
   * not charged yet; another supporter's contract has the same trouble. The supporter gives a new
   * card once, from one of the three, and the update is delivered twice: the status-service passes
   * it on sealed, once to each contract of theirs; each one in ERROR is charged once for its
   * outstanding period with the new card and comes back; the new contract's first charge takes it,
   * and so does that of a contract applied for before the update whose registration came after it;
   * the other supporter's contract stays in ERROR. The organisation's Salesforce shows when each
   * contract's card was updated.
   */
  @Test
  void aSupporterGivesANewCardOnceAndEachOfTheirContractsIsChargedOnceWithIt() {
    system.put(Service.CRM_SYNC, "/api/orgs/" + org + "/salesforce/mode", org, "{\"mode\":\"RECONFIGURED\"}");
    var supporter = "s-" + org;
    var inError = List.of(org + "-card-1", org + "-card-2", org + "-card-3");
    var later = org + "-card-later";
    var othersContract = org + "-card-other";
    var now = java.time.Instant.now(Journeys.CLOCK);
    inError.forEach(c -> system.register(org, c, supporter, "tok_decline_revocation_of_all_authorizations", firstCharge, now));
    system.register(org, later, supporter, "tok_decline_expired_card", firstCharge.plusDays(2), now);
    system.register(org, othersContract, "s-other-" + org, "tok_decline_revocation_of_all_authorizations", firstCharge, now);
    for (var c : List.of(inError.get(0), inError.get(1), inError.get(2), later, othersContract)) {
      system.awaitRegistered(org, c);
    }
    system.at(firstCharge, BILLING_RUN);
    inError.forEach(c -> system.awaitStatus(org, c, "ERROR"));
    system.awaitStatus(org, othersContract, "ERROR");

    system.updateCard(org, inError.get(1), "tok_visa." + supporter, 2);
    inError.forEach(c -> system.awaitStatus(org, c, "ACTIVE"));
    // applied for before the update, its registration reaching the services once the update was applied
    var lagging = org + "-card-lagging";
    system.register(org, lagging, supporter, "tok_decline_expired_card", firstCharge.plusDays(2), now);
    system.awaitRegistered(org, lagging);

    system.at(firstCharge.plusDays(2), BILLING_RUN);
    await().untilAsserted(() -> assertThat(system.charges(later)).containsExactly("SCHEDULED paid"));
    await().untilAsserted(() -> assertThat(system.charges(lagging)).containsExactly("SCHEDULED paid"));
    system.awaitQuiet();
    for (var c : inError) {
      assertThat(system.charges(c)).as(c).containsExactly("SCHEDULED failed", "SUPPORTER_REPAYMENT paid");
      var changes = system.events(c, PaymentMethodChangeRequested.class);
      assertThat(changes).as(c).extracting(change -> change.getHeader().getEventId()).containsOnly(changes.get(0).getHeader().getEventId());
      assertThat(changes.get(0).getUpdatedFrom()).isEqualTo(inError.get(1));
      assertThat(changes.get(0).getPaymentMethodToken()).startsWith("sealed.").doesNotContain("tok_visa");
      assertThat(system.contract(org, c).get("history")).as(c).filteredOn(line -> line.get("event").asText().equals("PAYMENT_METHOD_UPDATED"))
          .extracting(line -> line.get("actor").asText() + " " + line.get("to").asText()).containsExactly("supporter ERROR");
    }
    assertThat(system.charges(othersContract)).containsExactly("SCHEDULED failed");
    assertThat(system.events(othersContract, PaymentMethodChangeRequested.class)).isEmpty();
    assertThat(system.contract(org, othersContract).get("status").asText()).isEqualTo("ERROR");
    // what Salesforce shows: the card's update on the supporter's contracts, none on the other's
    for (var c : inError) {
      system.awaitSalesforceShows(c, "継続中");
      var updatedAt = system.contract(org, c).get("paymentMethodUpdatedAt").asText();
      assertThat(java.time.Instant.parse(updatedAt)).isBefore(java.time.Instant.now(Journeys.CLOCK));
      assertThat(system.salesforceRecord(c)).as(c).containsEntry("Card_Updated__c", updatedAt);
    }
    system.awaitSalesforceShows(othersContract, "エラー");
    assertThat(system.salesforceRecord(othersContract).get("Card_Updated__c")).isNull();
  }

  /**
   * An administrator asks two supporters to re-pay: each gets a link for their contract's
   * outstanding period. One re-pays through it and is ACTIVE again; the same link again, the link on
   * the other contract, and the other's own link once expired are each refused with their reason and
   * charge nothing; the request is in the history and in the organisation's Salesforce.
   */
  @Test
  void aRepaymentRequestsLinkPaysItsContractsPeriodOnceAndNothingElse() {
    system.put(Service.CRM_SYNC, "/api/orgs/" + org + "/salesforce/mode", org, "{\"mode\":\"RECONFIGURED\"}");
    var requested = org + "-request-1";
    var other = org + "-request-2";
    system.register(org, requested, Cohort.CURRENT, "tok_decline_insufficient_funds", firstCharge);
    system.register(org, other, Cohort.CURRENT, "tok_decline_insufficient_funds", firstCharge);
    system.awaitRegistered(org, requested);
    system.awaitRegistered(org, other);
    system.at(firstCharge, BILLING_RUN);
    system.awaitStatus(org, requested, "RETRYING");
    system.awaitStatus(org, other, "RETRYING");
    system.at(firstCharge.plusDays(1), LocalTime.of(10, 0));

    var dryRun = system.post(Service.STATUS, "/api/orgs/" + org + "/repayment-requests", org,
        "{\"contractIds\":[\"" + requested + "\",\"" + other + "\"],\"dryRun\":true}");
    var answer = system.post(Service.STATUS, "/api/orgs/" + org + "/repayment-requests", org,
        "{\"contractIds\":[\"" + requested + "\",\"" + other + "\"]}");
    assertThat(dryRun.get("summary").toString()).isEqualTo("{\"SENT\":2}");
    assertThat(answer.get("summary").toString()).isEqualTo("{\"SENT\":2}");
    await().until(() -> !system.events(requested, RepaymentRequested.class).isEmpty() && !system.events(other, RepaymentRequested.class).isEmpty());
    var request = system.events(requested, RepaymentRequested.class).get(0);
    var otherLink = system.events(other, RepaymentRequested.class).get(0).getLinkToken();
    assertThat(request.getPeriod()).isEqualTo(firstCharge);
    assertThat(request.getExpiresAt()).isEqualTo(java.time.Instant.now(Journeys.CLOCK).plus(Duration.ofDays(14)));

    system.repay(org, requested, firstCharge, "tok_visa", request.getLinkToken());
    system.awaitStatus(org, requested, "ACTIVE");
    system.repay(org, requested, firstCharge, "tok_visa", request.getLinkToken());
    system.repay(org, other, firstCharge, "tok_visa", request.getLinkToken());
    await().untilAsserted(() -> {
      assertThat(system.refusals(requested)).containsExactly("SUPPORTER_REPAYMENT link_already_used");
      assertThat(system.refusals(other)).containsExactly("SUPPORTER_REPAYMENT link_invalid");
    });
    system.at(firstCharge.plusDays(16), LocalTime.of(12, 0));
    system.repay(org, other, firstCharge, "tok_visa", otherLink);

    await().untilAsserted(() -> assertThat(system.refusals(other)).containsExactly("SUPPORTER_REPAYMENT link_invalid",
        "SUPPORTER_REPAYMENT link_expired"));
    system.awaitQuiet();
    assertThat(system.refusals(requested)).containsExactly("SUPPORTER_REPAYMENT link_already_used");
    assertThat(system.charges(requested)).containsExactly("SCHEDULED failed", "SUPPORTER_REPAYMENT paid");
    assertThat(system.charges(other)).doesNotContain("SUPPORTER_REPAYMENT paid", "SUPPORTER_REPAYMENT failed");
    assertThat(system.contract(org, requested).get("history")).filteredOn(line -> line.get("event").asText().equals("REPAYMENT_REQUESTED"))
        .extracting(line -> line.get("to").asText()).containsExactly("RETRYING");
    assertThat(system.contract(org, requested).get("repaymentRequestsSent").asInt()).isEqualTo(1);
    system.awaitSalesforceShows(requested, "継続中");
    assertThat(system.salesforceRecord(requested)).containsEntry("Last_Repayment_Request__c", firstCharge.plusDays(1).toString())
        .containsEntry("Repayment_Requests__c", 1);
  }

  @Test
  void aLegacyContractIsNotRetriedAndIsCancelledOnItsNextDueDateUnlessRepaid() {
    var cancelled = org + "-legacy-cancelled";
    var repaid = org + "-legacy-repaid";
    system.register(org, cancelled, Cohort.LEGACY, "tok_decline_insufficient_funds", firstCharge);
    system.register(org, repaid, Cohort.LEGACY, "tok_decline_insufficient_funds", firstCharge);
    system.awaitRegistered(org, cancelled);
    system.awaitRegistered(org, repaid);

    system.at(firstCharge, BILLING_RUN);
    system.awaitStatus(org, cancelled, "RETRYING");
    system.awaitStatus(org, repaid, "RETRYING");
    system.at(firstCharge.plusDays(10), RETRIES);
    system.repay(org, repaid, firstCharge, "tok_visa");
    system.awaitStatus(org, repaid, "ACTIVE");

    var nextDue = firstCharge.plusMonths(1);
    system.at(nextDue.minusDays(1), LocalTime.of(23, 0));
    assertThat(system.statusOf(org, cancelled)).isEqualTo("RETRYING"); // re-payment still accepted that day
    system.at(nextDue, BILLING_RUN);
    system.awaitStatus(org, cancelled, "CANCELLED");
    await().untilAsserted(() -> assertThat(system.charges(repaid)).endsWith("SCHEDULED paid"));

    assertThat(system.charges(cancelled)).containsExactly("SCHEDULED failed"); // no retries, and no charge on the due date
    assertThat(system.events(cancelled, RepaymentDeadlinePassed.class)).hasSize(1); // the retry-service's timer
    assertThat(system.events(cancelled, RepaymentDeadlineMissed.class)).as("billing's verdict").hasSize(1);
    assertThat(system.events(repaid, RepaymentDeadlineMissed.class)).isEmpty();
    assertThat(system.eventTypes(cancelled)).doesNotContain("RetryScheduled", "ChargeRequested");
    assertThat(system.charges(repaid)).containsExactly("SCHEDULED failed", "SUPPORTER_REPAYMENT paid", "SCHEDULED paid");
    assertThat(system.statusOf(org, repaid)).isEqualTo("ACTIVE");
    system.awaitSalesforceShows(cancelled, "解約");
  }

  /**
   * The supporter re-pays at 23:59:59 on the deadline's eve; the processor takes the money but its
   * answer comes after midnight, after the retry-service's timer said the deadline is due. Billing
   * alone decides: the re-payment it accepted before the deadline wins, and every service shows
   * the contract kept; nothing is refunded, no verdict of a missed deadline is published.
   */
  @Test
  void aLegacyRepaymentWhoseAnswerComesAfterTheDeadlineKeepsTheContractInEveryService() {
    var contract = org + "-legacy-late-answer";
    system.register(org, contract, Cohort.LEGACY, "tok_decline_insufficient_funds", firstCharge);
    system.awaitRegistered(org, contract);
    system.at(firstCharge, BILLING_RUN);
    system.awaitStatus(org, contract, "RETRYING");

    var nextDue = firstCharge.plusMonths(1);
    system.at(nextDue.minusDays(1), LocalTime.of(23, 59, 59));
    system.repay(org, contract, firstCharge, "tok_answers_late");
    await().until(() -> system.chargeInFlight(contract));
    system.at(nextDue, LocalTime.of(0, 0, 0, 500_000_000));
    await().until(() -> !system.events(contract, RepaymentDeadlinePassed.class).isEmpty()); // the timer fired
    system.awaitQuiet();
    assertThat(system.chargeInFlight(contract)).as("the processor has not answered yet").isTrue();
    assertThat(system.statusOf(org, contract)).isEqualTo("RETRYING");

    system.at(nextDue, LocalTime.of(0, 1)); // the processor answers at last
    system.awaitStatus(org, contract, "ACTIVE");
    system.awaitBillingKnows(contract, "ACTIVE");
    system.awaitQuiet();
    assertThat(system.statusOf(org, contract)).isEqualTo("ACTIVE");
    assertThat(system.charges(contract)).containsExactly("SCHEDULED failed", "SUPPORTER_REPAYMENT paid");
    assertThat(system.events(contract, RepaymentDeadlineMissed.class)).isEmpty();
    assertThat(system.eventTypes(contract)).doesNotContain("RefundRequired");
    system.awaitSalesforceShows(contract, "継続中");
  }

  @Test
  void aYearInErrorGetsAFinalNoticeThenABulkCancellationAndIsNeverChargedAgain() {
    var contract = org + "-a-year";
    system.register(org, contract, Cohort.CURRENT, "tok_decline_insufficient_funds", firstCharge);
    system.awaitRegistered(org, contract);
    failsEveryAutomaticRetry(contract);

    system.at(firstCharge.plusWeeks(3).plusYears(1), LocalTime.of(12, 0));
    var notices = system.post(Service.STATUS, "/api/orgs/" + org + "/final-notices", org, "{\"filter\":{\"errorFor\":\"P1Y\"}}");
    assertThat(notices.get("summary").get("SENT").asInt()).as(notices.toString()).isEqualTo(1);
    await().untilAsserted(() -> assertThat(system.events(contract, FinalNoticeRequested.class)).hasSize(1));

    system.at(system.today().plusDays(30), LocalTime.of(12, 0));
    var cancellations = system.post(Service.STATUS, "/api/orgs/" + org + "/cancellations", org,
        "{\"filter\":{\"status\":\"ERROR\",\"finalNotice\":\"sent\"},\"reason\":\"最終案内後も連絡なし\"}");
    assertThat(cancellations.get("items").get(0).get("contractId").asString()).isEqualTo(contract);
    system.awaitStatus(org, contract, "CANCELLED");
    var chargesAtCancellation = system.charges(contract);
    assertThat(chargesAtCancellation).hasSize(4);

    for (int month = 1; month <= 2; month++) {
      system.at(system.today().plusMonths(1), BILLING_RUN.plusMinutes(30));
    }
    assertThat(system.charges(contract)).isEqualTo(chargesAtCancellation);
    assertThat(system.contract(org, contract).get("cancellationReason").asString()).isEqualTo("最終案内後も連絡なし");
    system.awaitSalesforceShows(contract, "解約");
  }

  /** Registered with a card that declines for ten days: the scheduled charge and the first retry fail, the second is paid. */
  private void recoversOnItsSecondRetry(String contract) {
    system.register(org, contract, Cohort.CURRENT, "tok_decline_until_" + firstCharge.plusDays(10), firstCharge);
    system.awaitRegistered(org, contract);
    system.at(firstCharge, BILLING_RUN);
    system.awaitStatus(org, contract, "RETRYING");
    system.at(firstCharge.plusWeeks(1), RETRIES);
    await().untilAsserted(() -> assertThat(system.charges(contract)).hasSize(2));
    assertThat(system.statusOf(org, contract)).isEqualTo("RETRYING");
    system.at(firstCharge.plusWeeks(2), RETRIES);
  }

  /** The scheduled charge fails (RETRYING), then each weekly retry, one after the other: ERROR. */
  private void failsEveryAutomaticRetry(String contract) {
    system.at(firstCharge, BILLING_RUN);
    system.awaitStatus(org, contract, "RETRYING");
    for (int week = 1; week <= 3; week++) {
      system.at(firstCharge.plusWeeks(week), RETRIES);
      var charges = 1 + week;
      await().untilAsserted(() -> assertThat(system.charges(contract)).hasSize(charges));
    }
    system.awaitStatus(org, contract, "ERROR");
  }

  private static String readDashboard() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "grafana", "tsuzuku-dashboard.json"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
