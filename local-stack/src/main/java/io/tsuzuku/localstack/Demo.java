package io.tsuzuku.localstack;

import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.standins.FakeSalesforce;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo's story, told a day at a time from the day before the first charges: the clock moves
 * to noon of the next day, the system finishes what the day brought ({@link Quiescence}), people
 * act (a supporter re-pays on day 5, the organisation reconfigures its Salesforce integration on
 * day 25, the administrator makes a standing retry plan on day 30 for the 25th of each month and
 * sends re-payment requests on day 35, a supporter answers one with a new card the next day), the
 * system finishes that too, and a line shows how many contracts are in each status here and in
 * Salesforce, with a line for every event below it and why it happened. On day 50 the plan runs
 * and the story is complete: a summary, then time stands still. Each day takes at least {@code dayLength} of real time (a second; none
 * in the test that compares the story with the README's).
 */
final class Demo {

  static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  /** The demo's days count from its first charges; the story ends with the standing plan's run. */
  static final int LAST_DAY = 50;
  private static final int REPAYMENT_DAY = 5;
  private static final int RECONFIGURATION_DAY = 25;
  private static final int PLAN_DAY = 30;
  private static final int REQUEST_DAY = 35;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String INDENT = "             ";

  private final SimulatedClock clock;
  private final LocalDate firstCharge;
  private final Endpoints endpoints;
  private final String statusUrl;
  private final String crmSyncUrl;
  /** A fresh administrator's token for each call: the story may outlast one. */
  private final java.util.function.Supplier<String> token;
  private final FakeSalesforce salesforce;
  private final Duration dayLength;
  private final PrintStream out;
  /** The history lines already told, by event id and contract. */
  private final Set<String> told = new HashSet<>();

  Demo(SimulatedClock clock, LocalDate firstCharge, Endpoints endpoints, String statusUrl, String crmSyncUrl, java.util.function.Supplier<String> token,
      FakeSalesforce salesforce, Duration dayLength, PrintStream out) {
    this.clock = clock;
    this.firstCharge = firstCharge;
    this.endpoints = endpoints;
    this.statusUrl = statusUrl;
    this.crmSyncUrl = crmSyncUrl;
    this.token = token;
    this.salesforce = salesforce;
    this.dayLength = dayLength;
    this.out = out;
  }

  /** Tells the story to its end; the clock then stands at noon of its last day. */
  void tell() throws InterruptedException {
    try (var quiescence = new Quiescence(endpoints)) {
      for (var day = firstCharge.minusDays(1); !day.isAfter(firstCharge.plusDays(LAST_DAY)); day = day.plusDays(1)) {
        var began = System.nanoTime();
        clock.moveTo(day.atTime(LocalTime.NOON).atZone(TOKYO).toInstant());
        quiescence.await(this::shown);
        if (act(day)) {
          quiescence.await(this::shown);
        }
        show(day);
        var left = dayLength.toNanos() - (System.nanoTime() - began);
        if (left > 0) {
          Thread.sleep(left / 1_000_000); // the demo's pace, a day a second, for a person to read
        }
      }
      conclude(firstCharge.plusDays(LAST_DAY));
    }
  }

  /** What people do on the day, after the day's charges and retries; whether anyone did anything. */
  private boolean act(LocalDate day) {
    var dayNumber = ChronoUnit.DAYS.between(firstCharge, day);
    if (dayNumber == REPAYMENT_DAY) {
      say(day, "the supporter of demo-09 re-pays the failed month with a new card");
      DemoOrganisation.repay(endpoints, firstCharge, clock.instant());
    } else if (dayNumber == RECONFIGURATION_DAY) {
      say(day, "the organisation reconfigures its Salesforce integration: ERROR is now エラー there");
      DemoOrganisation.Http.send(HttpRequest.newBuilder(URI.create(crmSyncUrl + "/api/orgs/" + DemoOrganisation.ORG + "/salesforce/mode"))
          .header("Authorization", "Bearer " + token.get()).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"mode\":\"RECONFIGURED\"}")).build());
    } else if (dayNumber == PLAN_DAY) {
      var runOn = firstCharge.plusDays(LAST_DAY);
      say(day, "the administrator makes a standing plan: every contract in ERROR is retried on day "
          + runOn.getDayOfMonth() + " of each month at 10:00");
      var plan = JSON.readTree(post("/retry-plans", "{\"name\":\"給料日\",\"schedule\":{\"kind\":\"DAY_OF_MONTH\",\"day\":"
          + runOn.getDayOfMonth() + ",\"time\":\"10:00\"}}"));
      var preview = JSON.readTree(get("/retry-plans/" + plan.get("planId").asString() + "/preview"));
      say(day, "  its first run, " + runOn + ", as things stand: " + preview.get("retried") + " retried, not retried "
          + preview.get("notRetried"));
    } else if (dayNumber == REQUEST_DAY) {
      say(day, "the administrator sends a re-payment request, with a link, to every contract in ERROR");
      say(day, "  answer: " + JSON.readTree(post("/repayment-requests", "{\"filter\":{\"status\":\"ERROR\"}}")).get("summary"));
    } else if (dayNumber == REQUEST_DAY + 1) {
      say(day, "the supporter of demo-06 follows the link in the request and re-pays with a new card");
      DemoOrganisation.repayThroughRequest(endpoints, "demo-06", clock.instant());
    } else {
      return false;
    }
    return true;
  }

  /** The day's line, then each event of the day not told yet, with what it did and why. */
  private void show(LocalDate day) {
    var contracts = contracts();
    var counts = new TreeMap<String, Integer>();
    var inSalesforce = new TreeMap<String, Integer>();
    var events = new StringBuilder();
    for (var contract : contracts) {
      counts.merge(contract.get("status").asString(), 1, Integer::sum);
      inSalesforce.merge(salesforceStatus(contract.get("contractId").asString()), 1, Integer::sum);
      for (var line : history(contract.get("contractId").asString())) {
        if (told.add(line.get("eventId").asString()) && Narration.worthTelling(line)) {
          events.append(INDENT).append(Narration.event(contract.get("contractId").asString(), line)).append('\n');
        }
      }
    }
    out.printf("%s  %-52s Salesforce: %s%n", day, summary(counts), summary(inSalesforce));
    out.print(events);
  }

  /** How the story ended, contract by contract, grouped by what became of them. */
  private void conclude(LocalDate day) {
    var outcomes = new LinkedHashMap<String, List<String>>();
    var inSalesforce = new TreeMap<String, Integer>();
    for (var contract : contracts()) {
      var contractId = contract.get("contractId").asString();
      outcomes.computeIfAbsent(Narration.outcome(contract, history(contractId)), k -> new ArrayList<>()).add(contractId);
      inSalesforce.merge(salesforceStatus(contractId), 1, Integer::sum);
    }
    out.println();
    out.println("The story is complete (" + day + "). What became of the " + contracts().size() + " contracts:");
    outcomes.forEach((outcome, ids) -> out.printf("  %-26s %s%n", String.join(", ", ids), outcome));
    out.println("Salesforce shows " + summary(inSalesforce) + ".");
    out.println("Time stands still now: the console shows where the story ended.");
  }

  private void say(LocalDate day, String what) {
    out.println(day + "  >> " + what);
  }

  /** What the demo prints, read again until it stops moving. */
  private Object shown() {
    var shown = new TreeMap<String, String>();
    for (var contract : contracts()) {
      var contractId = contract.get("contractId").asString();
      shown.put(contractId, contract.get("status").asString() + " " + salesforceStatus(contractId)
          + " " + contract.get("statusSince").asString());
    }
    return shown;
  }

  private List<JsonNode> contracts() {
    var body = get("/contracts?limit=100");
    var items = new ArrayList<JsonNode>();
    JSON.readTree(body).get("items").forEach(items::add);
    return items;
  }

  private List<JsonNode> history(String contractId) {
    var lines = new ArrayList<JsonNode>();
    JSON.readTree(get("/contracts/" + contractId)).get("history").forEach(lines::add);
    return lines;
  }

  private String post(String path, String body) {
    return DemoOrganisation.Http.send(HttpRequest.newBuilder(URI.create(statusUrl + "/api/orgs/" + DemoOrganisation.ORG + path))
        .header("Authorization", "Bearer " + token.get()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private String get(String path) {
    return DemoOrganisation.Http.send(HttpRequest.newBuilder(URI.create(statusUrl + "/api/orgs/" + DemoOrganisation.ORG + path))
        .header("Authorization", "Bearer " + token.get()).GET().build());
  }

  private String salesforceStatus(String contractId) {
    var value = salesforce.record(contractId).get("Status__c");
    return value == null ? "(not yet)" : String.valueOf(value);
  }

  private static String summary(Map<String, Integer> counts) {
    var text = new StringBuilder();
    counts.forEach((name, count) -> text.append(text.isEmpty() ? "" : " · ").append(name).append(' ').append(count));
    return text.toString();
  }
}
