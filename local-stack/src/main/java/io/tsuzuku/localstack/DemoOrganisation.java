package io.tsuzuku.localstack;

import io.tsuzuku.standins.LocalSealingKeys;
import io.tsuzuku.events.BillingInterval;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.RepaymentRequested;
import io.tsuzuku.events.RepaymentSubmitted;
import io.tsuzuku.events.Supporter;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.standins.FakeSalesforce;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.EventSender;
import io.tsuzuku.schemas.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The demo organisation: contracts of both cohorts whose cards behave differently (the payment
 * simulator reads the token), and its Salesforce integration pointed at the local stub org. The
 * registrations are sent as the donation forms would; their event ids are fixed, so sending them
 * again on a restart changes nothing.
 */
public final class DemoOrganisation {

  public static final String ORG = "demo";

  /** A contract of the demo, what its card does, and why it is there. */
  public record DemoContract(String contractId, Cohort cohort, String token, String story) {}

  private DemoOrganisation() {}

  /** The contracts, their first charge on {@code firstCharge}. */
  public static List<DemoContract> contracts(LocalDate firstCharge) {
    return List.of(
        new DemoContract("demo-01", Cohort.CURRENT, "tok_visa", "pays every month"),
        new DemoContract("demo-02", Cohort.CURRENT, "tok_mastercard", "pays every month"),
        new DemoContract("demo-03", Cohort.CURRENT, "tok_decline_insufficient_funds", "never pays: RETRYING, then ERROR for good"),
        new DemoContract("demo-04", Cohort.CURRENT, "tok_decline_until_" + firstCharge.plusDays(10), "recovers on the second weekly retry"),
        new DemoContract("demo-05", Cohort.CURRENT, "tok_decline_until_" + firstCharge.plusDays(40), "in ERROR until the standing plan's retry"),
        new DemoContract("demo-06", Cohort.CURRENT, "tok_decline_expired_card", "expired card: ERROR until the supporter answers a re-payment request with a new card"),
        new DemoContract("demo-07", Cohort.LEGACY, "tok_visa", "legacy, pays every month"),
        new DemoContract("demo-08", Cohort.LEGACY, "tok_decline_insufficient_funds", "legacy, cancelled on its deadline"),
        new DemoContract("demo-09", Cohort.LEGACY, "tok_decline_insufficient_funds", "legacy, re-paid by the supporter before its deadline"));
  }

  /** Registers the contracts (again: the same event ids, nothing changes the second time). */
  public static void register(Endpoints endpoints, LocalDate firstCharge, Instant now) {
    for (var contract : contracts(firstCharge)) {
      var legacy = contract.cohort() == Cohort.LEGACY;
      EventSender.send(endpoints.kafkaClient(Topics.principal(Topics.DONATION_FORMS)), endpoints.schemaRegistryUrl(), LocalSealingKeys.sealed(ContractRegistered.newBuilder()
          .setHeader(header(contract.contractId(), contract.contractId() + "-registered", now))
          .setSupporter(Supporter.newBuilder().setSupporterId("supporter-" + contract.contractId())
              .setName("支援者 " + contract.contractId().substring(5)).setEmail(contract.contractId() + "@example.org").build())
          .setAmountYen(legacy ? 2_000 : 3_000)
          .setInterval(BillingInterval.MONTHLY)
          .setAnchorDay(firstCharge.getDayOfMonth())
          .setFirstChargeOn(firstCharge)
          .setAppliedOn(legacy ? LocalDate.of(2022, 4, 1) : LocalDate.of(2025, 4, 1))
          .setCohort(contract.cohort())
          .setPaymentMethodToken(contract.token())
          .build()));
    }
  }

  /** The supporter of demo-09 re-pays the failed period with a new card. */
  public static void repay(Endpoints endpoints, LocalDate period, Instant now) {
    EventSender.send(endpoints.kafkaClient(Topics.principal(Topics.REPAYMENT_FORM)), endpoints.schemaRegistryUrl(), RepaymentSubmitted.newBuilder()
        .setHeader(header("demo-09", "demo-09-repaid-" + period, now))
        .setPeriod(period).setAmountYen(2_000).setPaymentMethodToken("tok_visa").build());
  }

  /**
   * The supporter of {@code contractId} follows the link of the latest re-payment request the
   * organisation sent them, read as the mailers read it, and re-pays its period with a new card.
   */
  public static void repayThroughRequest(Endpoints endpoints, String contractId, Instant now) {
    var request = latestRequest(endpoints, contractId);
    EventSender.send(endpoints.kafkaClient(Topics.principal(Topics.REPAYMENT_FORM)), endpoints.schemaRegistryUrl(), RepaymentSubmitted.newBuilder()
        .setHeader(header(contractId, contractId + "-repaid-" + request.getHeader().getEventId(), now))
        .setPeriod(request.getPeriod()).setAmountYen(request.getAmountYen()).setPaymentMethodToken("tok_visa")
        .setLinkToken(request.getLinkToken()).build());
  }

  /** The latest re-payment request for the contract on {@code repayment-requested}, read from its start as the mailers. */
  private static RepaymentRequested latestRequest(Endpoints endpoints, String contractId) {
    var settings = new HashMap<String, Object>(AvroSerdes.consumerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(Topics.principal(Topics.MAILERS)));
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (var consumer = new KafkaConsumer<String, Object>(settings)) {
      var partitions = consumer.partitionsFor(Topics.REPAYMENT_REQUESTED.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      RepaymentRequested latest = null;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the re-payment requests could not be read to their end within 30 s");
        }
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() instanceof RepaymentRequested request && request.getHeader().getContractId().equals(contractId)) {
            latest = request;
          }
        }
      }
      if (latest == null) {
        throw new IllegalStateException("no re-payment request was sent for " + contractId);
      }
      return latest;
    }
  }

  /** Points an organisation's Salesforce integration at the stub org, in the legacy mode. */
  public static void configureSalesforce(String crmSyncUrl, String orgId, String token, FakeSalesforce salesforce) {
    var body = """
        {"loginUrl": "%s", "clientId": "%s", "clientSecret": "%s",
         "objectApiName": "Recurring_Contract__c", "externalIdField": "Tsuzuku_Contract_Id__c", "statusField": "Status__c",
         "extraFields": {"errorSince": "Error_Since__c", "lastFailure": "Last_Failure__c", "nextRetry": "Next_Retry_On__c",
                         "lastRepaymentRequest": "Last_Repayment_Request__c", "repaymentRequests": "Repayment_Requests__c",
                         "cardUpdated": "Card_Updated__c"}}
        """.formatted(salesforce.url(), FakeSalesforce.CLIENT_ID, FakeSalesforce.CLIENT_SECRET);
    Http.send(HttpRequest.newBuilder(URI.create(crmSyncUrl + "/api/orgs/" + orgId + "/salesforce"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static EventHeader header(String contractId, String eventId, Instant now) {
    return EventHeader.newBuilder().setEventId(eventId).setOrgId(ORG).setContractId(contractId).setOccurredAt(now).build();
  }

  /** Calls to the services' APIs from the local stack; a refusal is an error worth stopping for. */
  public static final class Http {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Http() {}

    public static String send(HttpRequest request) {
      try {
        var response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
          throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
      } catch (IOException e) {
        throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
