package io.tsuzuku.systemtests;

import io.tsuzuku.schemas.KafkaAccess;
import io.tsuzuku.localstack.LocalSystem;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.mongodb.client.model.Filters;
import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.events.RepaymentRequested;
import io.tsuzuku.events.BillingInterval;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.Requester;
import io.tsuzuku.events.ContractCancellationRequested;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.RepaymentSubmitted;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.localstack.LocalSystem.Service;
import io.tsuzuku.schemas.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A soak: a seeded population of contracts lives through many simulated days on the whole system
 * (two instances of every service, the real broker, registry and MongoDB-wire server, the payment
 * simulator, the Salesforce stub org), while supporters and administrators act and things break on
 * a seeded schedule; {@link SoakReconciliation} checks every promise from independent sources at
 * checkpoints (every quarter of the run, every 30 days at least) and at the end, and {@link
 * SoakReport} tells what happened. The same seed gives the same population, the same
 * actions and the same faults.
 *
 * <p>Supporters: cards that always pay; that fail, then work again after some weeks; that fail for
 * good (soft or hard declines); that fail and are re-paid through the form, once or with a double
 * click; that fail for good until the supporter re-pays through a re-payment request's link;
 * supporters who cancel (some before their registration reached the services), some then
 * re-paying through a form left open. Both cohorts, monthly
 * and yearly, anchor days 1–31. Administrators: a standing plan retrying the ERROR contracts
 * monthly, re-payment requests to every ERROR contract a week later, final notices for a year in ERROR, a bulk cancellation of long-standing ERROR
 * contracts, the Salesforce mapping reconfigured midway. Faults: an instance of every service
 * killed and restarted (twice, different instances), the broker restarted, Salesforce down for a
 * day and out of its daily API calls for another, the forms' events delivered twice from a third
 * of the way on, poison records on the forms' topics.
 */
final class Soak {

  static final LocalTime AFTER_THE_DAYS_RUNS = LocalTime.of(10, 0, 30);
  /** The seeded first days lie in these ten years, ahead of any clock the tests before move on. */
  private static final LocalDate SEEDED_STARTS_FROM = LocalDate.of(2040, 1, 1);
  private static final int SEEDED_STARTS_OVER = 3_650;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** How long and how many: the seed decides the rest. */
  record Plan(long seed, int days, int contracts) {

    Plan {
      if (days < 60 || contracts < 50) {
        throw new IllegalArgumentException("a soak needs at least 60 days and 50 contracts to place every fault and action");
      }
    }

    /** The soak of every build: every fault and action at least once, in a few minutes. */
    static Plan ci(long seed) {
      return new Plan(seed, 120, 500);
    }

    /** A year and more: final notices come due. */
    static Plan full(long seed) {
      return new Plan(seed, 400, 10_000);
    }
  }

  /**
   * How a supporter's card and the supporter behave. REPAYS_AT_MIDNIGHT re-pays at 23:59:59 on the
   * eve of the next due date (a legacy contract's deadline) with a card whose processor takes the
   * money but answers after midnight; CANCELS_BEFORE_REGISTERED cancels before the soak's first
   * day, the cancellation travelling faster than the registration (parked, then applied).
   */
  enum Behaviour {
    PAYS, RECOVERS, NEVER_PAYS, REPAYS, REPAYS_AT_MIDNIGHT, REPAYS_TWICE, CANCELS, CANCELS_THEN_REPAYS,
    /** Gives a new card on the form once the expired one failed (the update delivered twice): it pays the failed period. */
    UPDATES_CARD,
    /**
     * A card that never pays again; the supporter ignores everything but the organisation's
     * re-payment request, and re-pays through its link, with a new card, the day after it came.
     */
    REPAYS_ON_REQUEST,
    /** Cancels through the form at once, the cancellation reaching the services before the registration. */
    CANCELS_BEFORE_REGISTERED
  }

  /**
   * A contract of the population.
   *
   * @param actOn the day the supporter acts: re-pays, cancels (null: never)
   */
  record Member(String contractId, Behaviour behaviour, Cohort cohort, BillingCalendar calendar, LocalDate firstCharge,
      long amountYen, String token, LocalDate actOn) {

    LocalDate failedPeriod() {
      return firstCharge;
    }
  }

  /** Something that went wrong on purpose, and when. */
  record Fault(int day, String what) {}

  private final Plan plan;
  private final Journeys system;
  private final Runnable restartBroker;
  private final PrintStream out;
  private final Random random;
  private final String org;
  private final List<Fault> faults = new ArrayList<>();
  private final List<String> actions = new ArrayList<>();
  /** The re-payment links the supporters followed. */
  private final java.util.Set<String> linksUsed = new java.util.HashSet<>();
  /** The administrators' standing retry plan, once made. */
  private String planId;
  private final List<String> poison = new ArrayList<>();

  private Soak(Plan plan, Journeys system, Runnable restartBroker, PrintStream out) {
    this.plan = plan;
    this.system = system;
    this.restartBroker = restartBroker;
    this.out = out;
    this.random = new Random(plan.seed());
    this.org = "soak-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Runs the plan on a system of two instances of every service started on {@code endpoints}.
   *
   * @param restartBroker restarts the Kafka broker those endpoints name
   */
  static SoakReport run(Plan plan, Endpoints endpoints, Runnable restartBroker, PrintStream out) throws Exception {
    var started = System.nanoTime();
    try (var system = Journeys.start(endpoints, List.of("logging.level.root=WARN", "logging.level.de.bwaldvogel=ERROR",
        "logging.level.org.apache.kafka.clients.NetworkClient=ERROR"), 2)) {
      return new Soak(plan, system, restartBroker, out).run(started);
    }
  }

  private SoakReport run(long started) {
    system.configureSalesforce(org);
    var start = start(system.today());
    var end = start.plusDays(plan.days() - 1);
    var population = population(start);
    out.printf("soak seed=%d: %d contracts of %s, %d days from %s%n", plan.seed(), population.size(), org, plan.days(), start);
    var lagging = population.stream().filter(m -> m.behaviour() == Behaviour.CANCELS_BEFORE_REGISTERED).toList();
    system.sendAll(population.stream().filter(m -> !lagging.contains(m)).map(this::registration).toList());
    awaitRegistered(population.size() - lagging.size());
    cancelBeforeRegistration(lagging);
    awaitRegistered(population.size());

    var schedule = new Schedule(plan, random);
    var violations = new ArrayList<String>();
    var checkpointEvery = Math.max(30, plan.days() / 4);
    var checkpointDue = false;
    long longestDay = 0;
    for (int day = 1; day <= plan.days(); day++) {
      var today = start.plusDays(day - 1);
      before(day, today, schedule, population);
      system.at(today, AFTER_THE_DAYS_RUNS);
      if (day == schedule.restartSecond || day == schedule.restartFirst) {
        // as the day's runs start, an instance of every service dies with what it had in hand and starts again
        var instance = day == schedule.restartSecond ? 1 : 0;
        for (var service : Service.values()) {
          system.system.restart(service, instance);
        }
        faults.add(new Fault(day, "instance " + (instance + 1) + " of every service killed as the day's runs started, and restarted"));
      }
      // busy is not stuck: a large population's day (a billing run, a restart's rebalance) may take minutes
      var dayStarted = System.nanoTime();
      system.awaitQuiet(Duration.ofMinutes(10));
      if (planId != null && today.getDayOfMonth() == schedule.manualRetryDay) {
        awaitPlanRun(day, today);
      }
      if (planId != null && today.getDayOfMonth() == schedule.requestDay) { // in the day, after its runs: not in the quiet hours
        admin(day, "/repayment-requests", "{\"filter\": {\"status\": \"ERROR\"}}", "re-payment requests to every ERROR contract");
        system.awaitQuiet(Duration.ofMinutes(10));
      }
      atMidnight(today, population);
      longestDay = Math.max(longestDay, Duration.ofNanos(System.nanoTime() - dayStarted).toSeconds());
      checkpointDue |= day % checkpointEvery == 0;
      // a checkpoint waits for a day Salesforce takes calls: what it could not show that day it shows the next
      if (checkpointDue && day < plan.days() && day != schedule.salesforceDown && day != schedule.salesforceOutOfCalls) {
        checkpointDue = false;
        var found = new SoakReconciliation(system, org, population, today, poison).awaitAgreement();
        var checkpoint = day;
        found.forEach(v -> violations.add("at the checkpoint of day " + checkpoint + ": " + v));
        out.printf("  checkpoint on day %d: %d violations%n", day, found.size());
      }
      if (day % 10 == 0 || day == plan.days()) {
        out.printf("  day %d/%d (%s): %d records read, %d s, the longest day so far %d s%n", day, plan.days(), today,
            system.eventsRead(), Duration.ofNanos(System.nanoTime() - started).toSeconds(), longestDay);
      }
    }
    violations.addAll(new SoakReconciliation(system, org, population, end, poison).awaitAgreement());
    var backtests = backtests(start, end, schedule);
    return SoakReport.of(system, plan, org, start, end, population, Duration.ofNanos(System.nanoTime() - started), faults, actions,
        violations, backtests);
  }

  /**
   * The run's history replayed by the status-service's backtest: under the policy the run followed
   * (three automatic retries a week apart, the administrators' monthly day), without any retry,
   * and under the old rule.
   */
  private SoakReport.Backtests backtests(LocalDate start, LocalDate end, Schedule schedule) {
    var period = "\"from\": \"" + start + "\", \"to\": \"" + end + "\"";
    return new SoakReport.Backtests(
        backtest(period, "{\"automaticRetries\": 3, \"retryIntervalDays\": 7, \"standingRetryDays\": [" + schedule.manualRetryDay + "]}"),
        backtest(period, "{\"automaticRetries\": 0}"),
        backtest(period, "{\"rule\": \"DEADLINE\"}"));
  }

  private JsonNode backtest(String period, String policy) {
    var job = system.post(Service.STATUS, "/api/orgs/" + org + "/backtests", org, "{" + period + ", \"policy\": " + policy + "}");
    var path = "/api/orgs/" + org + "/backtests/" + job.get("id").asString();
    await().atMost(Duration.ofMinutes(2)).until(() -> !system.get(Service.STATUS, path, org).get("state").asString().equals("RUNNING"));
    var done = system.get(Service.STATUS, path, org);
    if (!done.get("state").asString().equals("DONE")) {
      throw new IllegalStateException("the backtest " + policy + " did not finish: " + done);
    }
    return done.get("result");
  }

  /** The seeded days of the administrators' actions and of the faults. */
  private static final class Schedule {
    final int formsTwiceFrom;
    final int restartSecond;
    final int restartFirst;
    final int brokerRestart;
    final int salesforceDown;
    final int salesforceOutOfCalls;
    final int poison;
    final int reconfiguration;
    final int bulkCancellation;
    final int manualRetriesFrom;
    /** The administrators' standing plan's day: each month, every ERROR contract retried on it. */
    final int manualRetryDay;
    /** A week later each month, from the plan on: every ERROR contract's supporter asked to re-pay. */
    final int requestDay;

    Schedule(Plan plan, Random random) {
      var days = plan.days();
      formsTwiceFrom = days / 3;
      restartSecond = days / 4 + random.nextInt(days / 4);
      restartFirst = days / 2 + random.nextInt(days / 4);
      brokerRestart = days / 5 + random.nextInt(days / 2);
      salesforceOutOfCalls = days / 2 + random.nextInt(days / 8);
      poison = 10 + random.nextInt(days / 2);
      reconfiguration = days / 2;
      bulkCancellation = days * 2 / 3 + random.nextInt(days / 6);
      // Salesforce is down on the day of the clean-up: a cancellation is final, so one it never shows stays wrong
      salesforceDown = bulkCancellation;
      manualRetriesFrom = 30 + random.nextInt(10);
      manualRetryDay = 1 + random.nextInt(28);
      requestDay = (manualRetryDay + 6) % 28 + 1;
    }
  }

  /** What supporters, administrators and faults do on {@code day}, before its runs (Salesforce goes down before the clean-up). */
  private void before(int day, LocalDate today, Schedule schedule, List<Member> population) {
    if (day == schedule.salesforceDown) {
      system.salesforce.failWith(WireMock.aResponse().withStatus(503).withBody("Service Unavailable"));
      faults.add(new Fault(day, "Salesforce down (503) for the day, the day of the clean-up"));
    } else if (day == schedule.salesforceDown + 1) {
      system.salesforce.recover();
    }
    if (day == schedule.formsTwiceFrom) {
      system.deliverFormsEventsTwice();
      faults.add(new Fault(day, "every event of the forms delivered twice from now on"));
    }
    for (var member : population) {
      if (today.equals(member.actOn()) && member.behaviour() != Behaviour.REPAYS_AT_MIDNIGHT) {
        supporterActs(member);
      } else if (member.behaviour() == Behaviour.CANCELS_THEN_REPAYS && today.equals(member.actOn().plusDays(1))) {
        // a form left open: the supporter re-pays the failed period the day after cancelling
        system.repay(org, member.contractId(), member.failedPeriod(), "tok_visa");
      }
    }
    if (day == schedule.manualRetriesFrom) {
      var plan = system.post(Service.STATUS, "/api/orgs/" + org + "/retry-plans", org, "{\"name\": \"the monthly retry\", "
          + "\"schedule\": {\"kind\": \"DAY_OF_MONTH\", \"day\": " + schedule.manualRetryDay + ", \"time\": \"10:00\"}}");
      planId = plan.get("planId").asString();
      actions.add("day " + day + ": a standing plan retries every ERROR contract on the " + schedule.manualRetryDay + "th at 10:00");
    }
    answerRequests(today, population);
    if (day > 366 && day % 30 == 0) {
      admin(day, "/final-notices", "{\"filter\": {\"status\": \"ERROR\", \"errorFor\": \"P1Y\", \"finalNotice\": \"not-sent\"}}",
          "final notices for the contracts a year in ERROR");
    }
    if (day == schedule.bulkCancellation) {
      admin(day, "/cancellations", "{\"filter\": {\"status\": \"ERROR\", \"errorFor\": \"P45D\"}, \"reason\": \"the organisation's clean-up\"}",
          "bulk cancellation of the contracts 45 days in ERROR");
    }
    if (day == schedule.reconfiguration) {
      system.put(Service.CRM_SYNC, "/api/orgs/" + org + "/salesforce/mode", org, "{\"mode\": \"RECONFIGURED\"}");
      actions.add("day " + day + ": Salesforce mapping reconfigured (RETRYING and ERROR told apart)");
    }
    if (day == schedule.brokerRestart) {
      restartBroker.run();
      faults.add(new Fault(day, "the Kafka broker restarted"));
    }
    if (day == schedule.salesforceOutOfCalls) {
      system.salesforce.dailyLimit(15_000, 15_000);
      faults.add(new Fault(day, "Salesforce out of its daily API calls (403 REQUEST_LIMIT_EXCEEDED) for the day"));
    } else if (day == schedule.salesforceOutOfCalls + 1) {
      system.salesforce.dailyLimit(15_000, 0);
    }
    if (day == schedule.poison) {
      sendPoison();
      faults.add(new Fault(day, poison.size() + " poison records on the forms' topics (not Avro, or impossible values)"));
    }
  }

  /**
   * The standing plan's run of the day, as an administrator reads it once it is done (a run an
   * instance left when it was killed is continued by another once its lease ends).
   */
  private void awaitPlanRun(int day, LocalDate today) {
    var path = "/api/orgs/" + org + "/retry-plans/" + planId + "/runs/" + today;
    await().atMost(Duration.ofMinutes(2)).until(() -> "DONE".equals(system.get(Service.STATUS, path, org).path("run").path("state").asString()));
    actions.add("day " + day + ": the standing plan's monthly retry of the ERROR contracts: "
        + system.get(Service.STATUS, path, org).path("run").path("summary"));
    system.awaitQuiet(Duration.ofMinutes(10));
  }

  /** The day's last second: re-payments whose answer comes after midnight, past a legacy deadline. */
  private void atMidnight(LocalDate today, List<Member> population) {
    var late = population.stream()
        .filter(m -> m.behaviour() == Behaviour.REPAYS_AT_MIDNIGHT && today.equals(m.actOn())).toList();
    if (late.isEmpty()) {
      return;
    }
    system.at(today, LocalTime.of(23, 59, 59));
    late.forEach(m -> system.repay(org, m.contractId(), m.failedPeriod(), "tok_answers_late"));
    // the re-payments reach billing before the clock moves on (what becomes of them, the reconciliation judges)
    var answered = new java.util.HashSet<String>();
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> {
        late.stream().filter(m -> system.chargeInFlight(m.contractId()) || system.events(m.contractId()).stream()
            .anyMatch(e -> e instanceof io.tsuzuku.events.PaymentSucceeded s && s.getKind() == io.tsuzuku.events.ChargeKind.SUPPORTER_REPAYMENT
                || e instanceof io.tsuzuku.events.PaymentFailed f && f.getKind() == io.tsuzuku.events.ChargeKind.SUPPORTER_REPAYMENT))
            .forEach(m -> answered.add(m.contractId()));
        return answered.size() == late.size();
      });
    } catch (org.awaitility.core.ConditionTimeoutException notYet) {
      out.printf("  %s 23:59:59: %d of %d re-payments not yet claimed by billing%n", today, late.size() - answered.size(), late.size());
    }
    actions.add(today + " 23:59:59: " + late.size() + " re-payments whose processor answers after midnight");
  }

  /** The supporters who answer requests re-pay, through the link of the request that came before today, once each. */
  private void answerRequests(LocalDate today, List<Member> population) {
    var startOfToday = today.atStartOfDay(Journeys.TOKYO).toInstant();
    for (var member : population) {
      if (member.behaviour() != Behaviour.REPAYS_ON_REQUEST) {
        continue;
      }
      system.events(member.contractId(), RepaymentRequested.class).stream()
          .filter(request -> request.getHeader().getOccurredAt().isBefore(startOfToday) && linksUsed.add(request.getLinkToken()))
          .forEach(request -> system.repay(org, member.contractId(), request.getPeriod(), "tok_visa", request.getLinkToken()));
    }
  }

  private void supporterActs(Member member) {
    switch (member.behaviour()) {
      case REPAYS -> system.repay(org, member.contractId(), member.failedPeriod(), "tok_visa");
      case REPAYS_TWICE -> { // a double click
        system.repay(org, member.contractId(), member.failedPeriod(), "tok_visa");
        system.repay(org, member.contractId(), member.failedPeriod(), "tok_visa");
      }
      case CANCELS, CANCELS_THEN_REPAYS -> system.cancel(org, member.contractId());
      case UPDATES_CARD -> system.updateCard(org, member.contractId(), "tok_visa", 2);
      default -> throw new IllegalStateException(member.behaviour() + " does not act");
    }
  }

  /** A bulk action of the organisation's administrator; a selection that is empty today is no action. */
  private void admin(int day, String path, String body, String what) {
    var request = HttpRequest.newBuilder(URI.create(system.system.url(Service.STATUS) + "/api/orgs/" + org + path))
        .header("Authorization", "Bearer " + Journeys.token(org)).header("Content-Type", "application/json")
        .header("Idempotency-Key", "soak-" + org + "-" + day + path.replace('/', '-'))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 400 && response.body().contains("EMPTY_SELECTION")) {
        actions.add("day " + day + ": " + what + ": nobody selected");
        return;
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
      }
      var summary = JSON.readTree(response.body()).get("summary");
      actions.add("day " + day + ": " + what + ": " + summary);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Two records that are not Avro at all on each topic the forms write, keyed like the organisation's contracts. */
  private void sendPoison() {
    var settings = system.endpoints().kafkaClient(KafkaAccess.DEPLOYMENT);
    try (var producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer())) {
      for (var topic : List.of(Topics.CONTRACT_REGISTERED, Topics.CONTRACT_CANCELLATION_REQUESTED, Topics.REPAYMENT_SUBMITTED)) {
        for (int i = 0; i < 2; i++) {
          var key = org + "-poison-" + poison.size();
          producer.send(new ProducerRecord<>(topic.name(), key, ("{\"not\": \"avro\", \"n\": " + i + "}").getBytes()));
          poison.add(key);
        }
      }
    }
    // and records that decode but hold values the domain forbids, one on each of the forms' topics
    var registrationKey = org + "-poison-" + poison.size();
    var impossibleRegistration = system.registration(org, registrationKey, Cohort.CURRENT, BillingInterval.MONTHLY, 0,
        system.today().plusDays(1), 3_000, "tok_visa");
    poison.add(registrationKey);
    var repaymentKey = org + "-poison-" + poison.size();
    var impossibleRepayment = RepaymentSubmitted.newBuilder().setHeader(impossibleRegistration.getHeader()).setPeriod(system.today())
        .setAmountYen(-3_000).setPaymentMethodToken("tok_visa").build();
    impossibleRepayment.setHeader(EventHeader.newBuilder(impossibleRegistration.getHeader()).setContractId(repaymentKey).build());
    poison.add(repaymentKey);
    var cancellationKey = org + "-poison-" + poison.size();
    var impossibleCancellation = ContractCancellationRequested.newBuilder().setRequestedBy(Requester.SUPPORTER)
        .setHeader(EventHeader.newBuilder(impossibleRegistration.getHeader()).setContractId(cancellationKey).setEventId(" ").build())
        .build();
    poison.add(cancellationKey);
    system.sendAll(List.of(impossibleRegistration, impossibleRepayment, impossibleCancellation));
  }

  /**
   * The first simulated day, drawn from the seed so that the seed gives the same calendar (month
   * ends, the standing plan's days) whatever the tests before it did to the shared clock; {@code
   * -Dtsuzuku.soak.start=YYYY-MM-DD} sets another (the population stays the seed's).
   */
  private LocalDate start(LocalDate today) {
    var seeded = SEEDED_STARTS_FROM.plusDays(random.nextInt(SEEDED_STARTS_OVER));
    var start = Optional.ofNullable(System.getProperty("tsuzuku.soak.start")).map(LocalDate::parse).orElse(seeded);
    if (!start.isAfter(today)) {
      throw new IllegalStateException("the clock is already at " + today + ", after the seeded start " + start);
    }
    system.at(start.minusDays(1), LocalTime.NOON);
    return start;
  }

  private List<Member> population(LocalDate start) {
    var population = new ArrayList<Member>();
    for (int i = 0; i < plan.contracts(); i++) {
      var behaviour = behaviour(random.nextInt(100));
      var cohort = random.nextInt(100) < 15 ? Cohort.LEGACY : Cohort.CURRENT;
      var anchorDay = 1 + random.nextInt(31);
      var yearly = random.nextInt(100) < 20;
      // a yearly contract's first charge falls within the soak's first months, so it comes due here
      var anchorMonth = yearly ? start.plusDays(random.nextInt(Math.min(plan.days() / 2, 180))).getMonthValue() : 1;
      var calendar = new BillingCalendar(yearly ? BillingCalendar.Interval.YEARLY : BillingCalendar.Interval.MONTHLY, anchorDay, anchorMonth);
      var firstCharge = calendar.nextChargeDateAfter(start.minusDays(1));
      var amount = List.of(1_000L, 2_000L, 3_000L, 5_000L, 10_000L).get(random.nextInt(5));
      var token = switch (behaviour) {
        case PAYS, CANCELS, CANCELS_BEFORE_REGISTERED -> "tok_visa";
        case RECOVERS -> "tok_decline_until_" + firstCharge.plusDays(1 + 7L * random.nextInt(12));
        case NEVER_PAYS -> List.of("tok_decline_insufficient_funds", "tok_decline_expired_card", "tok_decline_do_not_try_again",
            "tok_decline_revocation_of_all_authorizations").get(random.nextInt(4));
        case REPAYS, REPAYS_AT_MIDNIGHT, REPAYS_TWICE, CANCELS_THEN_REPAYS, REPAYS_ON_REQUEST -> "tok_decline_insufficient_funds";
        case UPDATES_CARD -> "tok_decline_expired_card";
      };
      var actOn = switch (behaviour) {
        case PAYS, RECOVERS, NEVER_PAYS, REPAYS_ON_REQUEST -> null;
        // after the first charge failed, before a legacy contract's deadline
        case REPAYS, REPAYS_TWICE, CANCELS_THEN_REPAYS, UPDATES_CARD -> firstCharge.plusDays(1 + random.nextInt(20));
        case REPAYS_AT_MIDNIGHT -> calendar.legacyCancellationDay(firstCharge).minusDays(1);
        case CANCELS -> start.plusDays(random.nextInt(plan.days() - 10));
        case CANCELS_BEFORE_REGISTERED -> start.minusDays(1);
      };
      var id = "%s-%05d-%s-%s".formatted(org, i, behaviour.name().toLowerCase(), cohort == Cohort.LEGACY ? "legacy" : "current");
      population.add(new Member(id, behaviour, cohort, calendar, firstCharge, amount, token, actOn));
    }
    return population;
  }

  private static Behaviour behaviour(int percentile) {
    if (percentile < 40) {
      return Behaviour.PAYS;
    } else if (percentile < 42) {
      return Behaviour.REPAYS_ON_REQUEST;
    } else if (percentile < 45) {
      return Behaviour.UPDATES_CARD;
    } else if (percentile < 65) {
      return Behaviour.RECOVERS;
    } else if (percentile < 75) {
      return Behaviour.NEVER_PAYS;
    } else if (percentile < 80) {
      return Behaviour.REPAYS;
    } else if (percentile < 83) {
      return Behaviour.REPAYS_AT_MIDNIGHT;
    } else if (percentile < 88) {
      return Behaviour.REPAYS_TWICE;
    } else if (percentile < 94) {
      return Behaviour.CANCELS;
    } else if (percentile < 95) {
      return Behaviour.CANCELS_BEFORE_REGISTERED;
    }
    return Behaviour.CANCELS_THEN_REPAYS;
  }

  private ContractRegistered registration(Member m) {
    var interval = m.calendar().interval() == BillingCalendar.Interval.YEARLY ? BillingInterval.YEARLY : BillingInterval.MONTHLY;
    return system.registration(org, m.contractId(), m.cohort(), interval, m.calendar().anchorDay(), m.firstCharge(), m.amountYen(), m.token());
  }

  /**
   * Cancellations from the form that reach the status-service before their contracts'
   * registrations: each is parked until its registration comes, then applied.
   */
  private void cancelBeforeRegistration(List<Member> lagging) {
    var ids = lagging.stream().map(Member::contractId).toList();
    var parked = system.collection(Service.STATUS, "parked_records");
    lagging.forEach(m -> system.cancel(org, m.contractId()));
    await().atMost(Duration.ofMinutes(2)).until(() -> parked.countDocuments(Filters.in("contractId", ids)) == ids.size());
    system.sendAll(lagging.stream().map(this::registration).toList());
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      Journeys.CLOCK.advance(Duration.ofSeconds(15)); // the parking tries again on the services' clock
      return parked.countDocuments(Filters.in("contractId", ids)) == 0;
    });
    faults.add(new Fault(0, ids.size() + " cancellations from the form before their contracts' registrations (parked, then applied)"));
  }

  /** Every service knows every contract before the clock moves to the first charges. */
  private void awaitRegistered(int contracts) {
    var byOrg = new Document("orgId", org);
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() ->
        system.collection(Service.STATUS, "contracts").countDocuments(byOrg) == contracts
            && system.collection(Service.BILLING, "billed_contracts").countDocuments(new Document(byOrg).append("registered", true)) == contracts
            && system.collection(Service.RETRY, "contract_views").countDocuments(byOrg) == contracts);
  }
}
