package io.tsuzuku.systemtests;

import io.tsuzuku.localstack.LocalSystem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsuzuku.events.Cohort;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.localstack.LocalSystem.Service;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of every service, and one of each stops in the middle of the billing run: the
 * survivors take over the partitions, the leases and the claims, and every contract ends as it
 * would have, charged exactly as often (no lost transition, no extra charge).
 */
@WithEmbeddedInfrastructure
class InstanceLossIT {

  private static final LocalTime BILLING_RUN = LocalTime.of(9, 0, 30);
  private static final LocalTime RETRIES = LocalTime.of(10, 0, 30);

  private static Journeys system;

  @BeforeAll
  static void startTwoInstancesOfEachService(Endpoints endpoints) {
    system = Journeys.start(endpoints, List.of(), 2);
  }

  @AfterAll
  static void stopTheSystem() throws InterruptedException {
    system.close();
  }

  @Test
  void oneInstanceOfEachServiceStopsDuringTheBillingRunAndNothingIsLostOrDoubled() {
    var org = "org-" + UUID.randomUUID().toString().substring(0, 8);
    var firstCharge = system.today().plusDays(1);
    system.configureSalesforce(org);
    var paying = contracts(org, "paying", 3);
    var declined = contracts(org, "declined", 3);
    var recovering = contracts(org, "recovering", 3);
    paying.forEach(c -> system.register(org, c, Cohort.CURRENT, "tok_visa", firstCharge));
    declined.forEach(c -> system.register(org, c, Cohort.CURRENT, "tok_decline_insufficient_funds", firstCharge));
    recovering.forEach(c -> system.register(org, c, Cohort.CURRENT, "tok_decline_until_" + firstCharge.plusDays(10), firstCharge));
    all(paying, declined, recovering).forEach(c -> system.awaitRegistered(org, c));

    system.at(firstCharge, BILLING_RUN);
    // all at once, mid-run: charges, outcomes, snapshots and jobs in flight
    var stopping = java.util.Arrays.stream(Service.values())
        .map(service -> java.util.concurrent.CompletableFuture.runAsync(() -> system.system.instances(service).get(1).close()))
        .toArray(java.util.concurrent.CompletableFuture[]::new);
    java.util.concurrent.CompletableFuture.allOf(stopping).join();

    paying.forEach(c -> system.awaitStatus(org, c, "ACTIVE"));
    all(declined, recovering).forEach(c -> system.awaitStatus(org, c, "RETRYING"));
    for (int week = 1; week <= 3; week++) {
      system.at(firstCharge.plusWeeks(week), RETRIES);
      var charges = 1 + week;
      declined.forEach(c -> await().untilAsserted(() -> assertThat(system.charges(c)).hasSize(charges)));
    }
    declined.forEach(c -> system.awaitStatus(org, c, "ERROR"));
    recovering.forEach(c -> system.awaitStatus(org, c, "ACTIVE"));

    paying.forEach(c -> assertThat(system.charges(c)).as(c).containsExactly("SCHEDULED paid"));
    declined.forEach(c -> assertThat(system.charges(c)).as(c)
        .containsExactly("SCHEDULED failed", "AUTO_RETRY failed", "AUTO_RETRY failed", "AUTO_RETRY failed"));
    recovering.forEach(c -> assertThat(system.charges(c)).as(c)
        .containsExactly("SCHEDULED failed", "AUTO_RETRY failed", "AUTO_RETRY paid"));
    all(paying, declined, recovering).forEach(c -> assertThat(system.refusals(c)).as(c).isEmpty());
    declined.forEach(c -> system.awaitSalesforceShows(c, "再決済待ち"));
  }

  /**
   * A standing plan made through the API, with two instances of every service: on its day it
   * retries the organisation's ERROR contracts once, though a status-service instance restarts as
   * the run begins and the clock moves on through the day; what it did is what its dry run said.
   */
  @Test
  void aStandingPlanRunsOnItsDayExactlyOnceThroughARestart() {
    for (var service : Service.values()) { // another test may have stopped the second instances
      if (!system.system.instances(service).get(1).isActive()) {
        system.system.restart(service, 1);
      }
    }
    var org = "org-" + UUID.randomUUID().toString().substring(0, 8);
    var firstCharge = system.today().plusDays(1);
    var declined = contracts(org, "declined", 3);
    var newCard = contracts(org, "new-card", 1);
    var paying = contracts(org, "paying", 1);
    declined.forEach(c -> system.register(org, c, Cohort.CURRENT, "tok_decline_insufficient_funds", firstCharge));
    newCard.forEach(c -> system.register(org, c, Cohort.CURRENT, "tok_decline_do_not_try_again", firstCharge));
    paying.forEach(c -> system.register(org, c, Cohort.CURRENT, "tok_visa", firstCharge));
    all(declined, newCard, paying).forEach(c -> system.awaitRegistered(org, c));
    system.at(firstCharge, BILLING_RUN);
    declined.forEach(c -> system.awaitStatus(org, c, "RETRYING"));
    for (int week = 1; week <= 3; week++) {
      system.at(firstCharge.plusWeeks(week), RETRIES);
      var charges = 1 + week;
      declined.forEach(c -> await().untilAsserted(() -> assertThat(system.charges(c)).hasSize(charges)));
    }
    all(declined, newCard).forEach(c -> system.awaitStatus(org, c, "ERROR"));

    var runDay = firstCharge.plusWeeks(3).plusDays(3);
    var plan = system.post(Service.STATUS, "/api/orgs/" + org + "/retry-plans", org,
        "{\"name\":\"payday\",\"schedule\":{\"kind\":\"DAY_OF_MONTH\",\"day\":" + runDay.getDayOfMonth()
            + ",\"time\":\"11:00\"}}");
    var planId = plan.get("planId").asString();
    assertThat(java.time.Instant.parse(plan.get("nextRunAt").asString()))
        .isEqualTo(runDay.atTime(11, 0).atZone(java.time.ZoneId.of("Asia/Tokyo")).toInstant());
    var preview = system.get(Service.STATUS, "/api/orgs/" + org + "/retry-plans/" + planId + "/preview", org);
    assertThat(preview.get("retried").asInt()).isEqualTo(3);
    assertThat(preview.get("notRetried").get("NEW_CARD_REQUIRED").asInt()).isEqualTo(1);

    system.at(runDay, LocalTime.of(10, 59));
    system.at(runDay, LocalTime.of(11, 0, 30));
    system.system.restart(Service.STATUS, 0); // as the run begins, on either instance
    var runs = "/api/orgs/" + org + "/retry-plans/" + planId + "/runs";
    await().atMost(java.time.Duration.ofMinutes(2)).untilAsserted(() ->
        assertThat(system.get(Service.STATUS, runs + "/" + runDay, org).path("run").path("state").asString()).isEqualTo("DONE"));
    declined.forEach(c -> await().untilAsserted(() -> assertThat(system.charges(c)).contains("MANUAL_RETRY failed")));
    system.at(runDay, LocalTime.of(18, 0));
    system.at(runDay.plusDays(1), RETRIES);
    system.awaitQuiet();

    var run = system.get(Service.STATUS, runs + "/" + runDay, org);
    assertThat(run.get("results").toString()).isEqualTo(preview.get("items").toString());
    assertThat(run.path("run").path("summary").path("SCHEDULED").asInt()).isEqualTo(3);
    assertThat(run.path("run").path("retriedYen").asLong()).isEqualTo(preview.get("retriedYen").asLong());
    assertThat(system.get(Service.STATUS, runs, org).size()).isEqualTo(1);
    declined.forEach(c -> assertThat(system.charges(c)).as(c).containsExactly(
        "SCHEDULED failed", "AUTO_RETRY failed", "AUTO_RETRY failed", "AUTO_RETRY failed", "MANUAL_RETRY failed"));
    newCard.forEach(c -> assertThat(system.charges(c)).as(c).containsExactly("SCHEDULED failed"));
    paying.forEach(c -> assertThat(system.charges(c)).as(c).containsExactly("SCHEDULED paid"));
    // the organisation stops its routine: the other test classes move the shared clock on for months
    system.put(Service.STATUS, "/api/orgs/" + org + "/retry-plans/" + planId, org,
        "{\"name\":\"payday\",\"schedule\":{\"kind\":\"DAY_OF_MONTH\",\"day\":" + runDay.getDayOfMonth()
            + ",\"time\":\"11:00\"},\"paused\":true}");
  }

  private static List<String> contracts(String org, String kind, int count) {
    var ids = new ArrayList<String>();
    for (int i = 0; i < count; i++) {
      ids.add(org + "-" + kind + "-" + i);
    }
    return ids;
  }

  @SafeVarargs
  private static List<String> all(List<String>... groups) {
    return java.util.Arrays.stream(groups).flatMap(List::stream).toList();
  }
}
