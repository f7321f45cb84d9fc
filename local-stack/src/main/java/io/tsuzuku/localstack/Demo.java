package io.tsuzuku.localstack;

import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.standins.FakeSalesforce;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo: the simulated clock runs a day a second; each day a line shows how many of the demo
 * organisation's contracts are in each status and what Salesforce shows, and every change of
 * status is printed below it. Along the way the script does what people would: a supporter
 * re-pays (day 5), the organisation reconfigures its Salesforce integration (day 25), the
 * administrator orders a bulk manual retry of the contracts in ERROR (day 30, for day 50).
 */
final class Demo implements Runnable {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Clock clock;
  private final LocalDate firstCharge;
  private final Endpoints endpoints;
  private final String statusUrl;
  private final String crmSyncUrl;
  private final String token;
  private final FakeSalesforce salesforce;
  private final PrintStream out;
  private final Map<String, String> lastStatus = new LinkedHashMap<>();

  Demo(Clock clock, LocalDate firstCharge, Endpoints endpoints, String statusUrl, String crmSyncUrl, String token,
      FakeSalesforce salesforce, PrintStream out) {
    this.clock = clock;
    this.firstCharge = firstCharge;
    this.endpoints = endpoints;
    this.statusUrl = statusUrl;
    this.crmSyncUrl = crmSyncUrl;
    this.token = token;
    this.salesforce = salesforce;
    this.out = out;
  }

  /** Each day: what people do is done as it begins, and the table line shows it as it ends. */
  @Override
  public void run() {
    var begun = LocalDate.now(clock.withZone(TOKYO)).minusDays(1);
    var ended = begun;
    while (!Thread.currentThread().isInterrupted()) {
      var today = LocalDate.now(clock.withZone(TOKYO));
      while (ended.plusDays(1).isBefore(today)) {
        ended = ended.plusDays(1);
        show(ended);
      }
      while (begun.isBefore(today)) {
        begun = begun.plusDays(1);
        act(begun);
      }
      try {
        Thread.sleep(100); // the demo's own pace against the simulated clock; not a test
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void act(LocalDate day) {
    var dayNumber = ChronoUnit.DAYS.between(firstCharge, day);
    if (dayNumber == 5) {
      say(day, "the supporter of demo-09 re-pays with a new card");
      DemoOrganisation.repay(endpoints, firstCharge, clock.instant());
    } else if (dayNumber == 25) {
      say(day, "the organisation reconfigures its Salesforce integration: ERROR is now エラー");
      DemoOrganisation.Http.send(HttpRequest.newBuilder(URI.create(crmSyncUrl + "/api/orgs/" + DemoOrganisation.ORG + "/salesforce/mode"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"mode\":\"RECONFIGURED\"}")).build());
    } else if (dayNumber == 30) {
      var retryOn = firstCharge.plusDays(50);
      say(day, "the administrator orders a manual retry of every contract in ERROR on " + retryOn);
      var answer = DemoOrganisation.Http.send(HttpRequest.newBuilder(URI.create(statusUrl + "/api/orgs/" + DemoOrganisation.ORG + "/manual-retries"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"filter\":{\"status\":\"ERROR\"},\"retryOn\":\"" + retryOn + "\"}")).build());
      say(day, "  answer: " + JSON.readTree(answer).get("summary"));
    }
  }

  private void show(LocalDate day) {
    var body = DemoOrganisation.Http.send(HttpRequest.newBuilder(
            URI.create(statusUrl + "/api/orgs/" + DemoOrganisation.ORG + "/contracts?limit=100"))
        .header("Authorization", "Bearer " + token).GET().build());
    var counts = new TreeMap<String, Integer>();
    var salesforceCounts = new TreeMap<String, Integer>();
    var changes = new StringBuilder();
    for (var item : JSON.readTree(body).get("items")) {
      var contractId = item.get("contractId").asString();
      var status = item.get("status").asString();
      counts.merge(status, 1, Integer::sum);
      var shownInSalesforce = salesforce.record(contractId).get("Status__c");
      salesforceCounts.merge(shownInSalesforce == null ? "(not yet)" : String.valueOf(shownInSalesforce), 1, Integer::sum);
      var before = lastStatus.put(contractId, status);
      if (before != null && !before.equals(status)) {
        changes.append("             ").append(contractId).append(": ").append(before).append(" → ").append(status).append('\n');
      }
    }
    out.printf("%s  %-52s Salesforce: %s%n", day, summary(counts), summary(salesforceCounts));
    out.print(changes);
  }

  private void say(LocalDate day, String what) {
    out.println(day + "  >> " + what);
  }

  private static String summary(Map<String, Integer> counts) {
    var text = new StringBuilder();
    counts.forEach((name, count) -> text.append(text.isEmpty() ? "" : " · ").append(name).append(' ').append(count));
    return text.toString();
  }
}
