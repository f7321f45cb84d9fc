package io.tsuzuku.systemtests;

import io.tsuzuku.localstack.LocalSystem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.localstack.LocalSystem.Service;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every message delivered twice, the forms' and every service's (a producer interceptor sends
 * each record a second time): the same journey ends in the same state, with the same charges at
 * the payment processor, as when each is delivered once.
 */
@WithEmbeddedInfrastructure
class DuplicatedDeliveryIT {

  private static Journeys system;

  @BeforeAll
  static void startTheSystemWithEveryRecordSentTwice(Endpoints endpoints) {
    system = Journeys.start(endpoints, List.of(
        "spring.kafka.producer.properties.interceptor.classes=" + DuplicatingProducerInterceptor.class.getName()));
    system.deliverFormsEventsTwice();
  }

  @AfterAll
  static void stopTheSystem() throws InterruptedException {
    system.close();
  }

  @Test
  void aContractThroughErrorAndAManualRetryEndsTheSameWithTheSameCharges() {
    var org = "org-" + UUID.randomUUID().toString().substring(0, 8);
    var contract = org + "-twice";
    var firstCharge = system.today().plusDays(1);
    system.configureSalesforce(org);
    system.register(org, contract, Cohort.CURRENT, "tok_decline_until_" + firstCharge.plusDays(30), firstCharge);
    system.awaitRegistered(org, contract);

    system.at(firstCharge, LocalTime.of(9, 0, 30));
    system.awaitStatus(org, contract, "RETRYING");
    for (int week = 1; week <= 3; week++) {
      system.at(firstCharge.plusWeeks(week), LocalTime.of(10, 0, 30));
      var charges = 1 + week;
      await().untilAsserted(() -> assertThat(system.charges(contract)).hasSize(charges));
    }
    system.awaitStatus(org, contract, "ERROR");
    var retryOn = firstCharge.plusDays(35);
    system.post(Service.STATUS, "/api/orgs/" + org + "/manual-retries", org,
        "{\"contractIds\":[\"" + contract + "\"],\"retryOn\":\"" + retryOn + "\"}");
    system.at(retryOn, LocalTime.of(10, 0, 30));
    system.awaitStatus(org, contract, "ACTIVE");
    system.awaitSalesforceShows(contract, "継続中");

    // every writer's records came twice: the forms', the billing-service's, the status-service's
    assertThat(system.duplicated(contract, ContractRegistered.class)).isEqualTo(1);
    assertThat(system.duplicated(contract, PaymentFailed.class)).isEqualTo(4);
    assertThat(system.duplicated(contract, ContractStatusChanged.class)).isPositive();
    assertThat(system.charges(contract))
        .containsExactly("SCHEDULED failed", "AUTO_RETRY failed", "AUTO_RETRY failed", "AUTO_RETRY failed", "MANUAL_RETRY paid");
    assertThat(attemptsAtTheProcessor(contract)).isEqualTo(5);
  }

  private static long attemptsAtTheProcessor(String contractId) {
    var ledger = system.system.context(Service.BILLING).getBean(MongoClient.class).getDatabase("tsuzuku-billing")
        .getCollection("billed_contracts").find(Filters.eq("_id", contractId)).first();
    return ledger.getList("attempts", org.bson.Document.class).stream()
        .filter(attempt -> !"REFUSED".equals(attempt.getString("state"))).count();
  }
}
