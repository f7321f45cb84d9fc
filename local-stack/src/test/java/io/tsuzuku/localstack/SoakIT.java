package io.tsuzuku.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractStatus;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.RefundRequired;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.kit.DeadLetters;
import io.tsuzuku.schemas.Topics;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A short soak: a seeded population of contracts whose cards behave in seeded ways lives through
 * {@value #DAYS} simulated days on the whole system (two instances of every service), its forms'
 * events delivered twice for part of the time and the second instance of every service killed and
 * restarted on a seeded day, then every promise is reconciled from the records
 * the services published and the stores they keep. A violation names the contract with its
 * events; the seed is in the message ({@code -Dtsuzuku.soak.seed=…} runs the same population).
 */
@WithEmbeddedInfrastructure
class SoakIT {

  private static final int DAYS = 75;
  private static final int CONTRACTS = 24;
  private static final LocalTime AFTER_THE_DAYS_RUNS = LocalTime.of(10, 0, 30);

  /** How a supporter's card and the supporter behave. */
  enum Behaviour { PAYS, RECOVERS, NEVER_PAYS, REPAYS_TWICE, CANCELS, CANCELS_THEN_REPAYS }

  record Member(String contractId, Behaviour behaviour, LocalDate firstCharge, String token, int actOnDay) {}

  @Test
  void aSeededPopulationKeepsEveryPromiseThroughTheDays(Endpoints endpoints) throws Exception {
    var seed = Long.getLong("tsuzuku.soak.seed", new Random().nextLong());
    var random = new Random(seed);
    try (var system = Journeys.start(endpoints, List.of(), 2)) {
      var org = "soak-" + UUID.randomUUID().toString().substring(0, 8);
      system.configureSalesforce(org);
      var start = system.today().plusDays(1);
      var population = new ArrayList<Member>();
      for (int i = 0; i < CONTRACTS; i++) {
        var behaviour = Behaviour.values()[random.nextInt(Behaviour.values().length)];
        var firstCharge = start.plusDays(random.nextInt(28));
        var token = switch (behaviour) {
          case PAYS, CANCELS -> "tok_visa";
          case RECOVERS -> "tok_decline_until_" + firstCharge.plusDays(1 + 7L * random.nextInt(3));
          case NEVER_PAYS, REPAYS_TWICE, CANCELS_THEN_REPAYS -> "tok_decline_insufficient_funds";
        };
        var actOnDay = behaviour == Behaviour.CANCELS_THEN_REPAYS // after the first charge failed
            ? (int) java.time.temporal.ChronoUnit.DAYS.between(start, firstCharge) + 3 + random.nextInt(20)
            : 1 + random.nextInt(DAYS - 10);
        var member = new Member(org + "-" + i + "-" + behaviour.name().toLowerCase(), behaviour, firstCharge, token, actOnDay);
        population.add(member);
        system.register(org, member.contractId(), Cohort.CURRENT, token, firstCharge);
      }
      population.forEach(m -> system.awaitRegistered(org, m.contractId()));

      var restartOn = DAYS / 3 + random.nextInt(DAYS / 3);
      for (int day = 1; day <= DAYS; day++) {
        var today = start.plusDays(day - 1);
        if (day == DAYS / 3) {
          system.deliverFormsEventsTwice(); // a fault: every form's event from now on comes twice
        }
        for (var member : population) {
          if (member.actOnDay() == day && (member.behaviour() == Behaviour.CANCELS || member.behaviour() == Behaviour.CANCELS_THEN_REPAYS)) {
            system.cancel(org, member.contractId());
          } else if (member.actOnDay() + 1 == day && member.behaviour() == Behaviour.CANCELS_THEN_REPAYS) {
            // a form left open: the supporter re-pays the failed period the day after cancelling
            system.repay(org, member.contractId(), member.firstCharge(), "tok_visa");
          } else if (member.actOnDay() == day && member.behaviour() == Behaviour.REPAYS_TWICE && !today.isBefore(member.firstCharge())) {
            // a double click: two re-payments of the failed period with a working card
            system.repay(org, member.contractId(), member.firstCharge(), "tok_visa");
            system.repay(org, member.contractId(), member.firstCharge(), "tok_visa");
          }
        }
        system.at(today, AFTER_THE_DAYS_RUNS);
        if (day == restartOn) {
          // a fault: as the day's runs start, the second instance of every service dies with what it
          // had in hand and is started again
          for (var service : LocalSystem.Service.values()) {
            system.system.restart(service, 1);
          }
        }
        system.awaitQuiet();
      }

      var end = start.plusDays(DAYS - 1);
      var report = population.stream().collect(Collectors.groupingBy(m -> String.valueOf(system.statusOf(org, m.contractId())), TreeMap::new,
          Collectors.counting()));
      System.out.printf("soak seed=%d contracts=%d days=%d statuses=%s events=%d faults: forms' events twice from day %d, "
          + "an instance of every service restarted on day %d%n", seed, CONTRACTS, DAYS, report, system.events().size(), DAYS / 3,
          restartOn);
      // the services agree in the end (what is still on its way arrives); a double charge never goes away
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
          assertThat(reconcile(system, endpoints, org, population, end)).as("soak seed %d", seed).isEmpty());
    }
  }

  /** Every promise, checked from what was published and what each service keeps; one line a violation. */
  private static List<String> reconcile(Journeys system, Endpoints endpoints, String org, List<Member> population, LocalDate end) {
    var violations = new ArrayList<String>();
    for (var member : population) {
      var id = member.contractId();
      var problems = new ArrayList<String>();
      // at most one success a period, unless a refund of the extra one was required
      var successes = new HashMap<LocalDate, java.util.Set<String>>();
      system.events(id, PaymentSucceeded.class)
          .forEach(s -> successes.computeIfAbsent(s.getPeriod(), p -> new java.util.HashSet<>()).add(s.getAttemptId()));
      var refunds = system.events(id, RefundRequired.class).stream().map(RefundRequired::getAttemptId).distinct().count();
      successes.forEach((period, attempts) -> {
        if (attempts.size() > 1 + refunds) {
          problems.add(attempts.size() + " successes for " + period + " with " + refunds + " refunds required");
        }
      });
      // nothing charged after the contract was cancelled, unless a refund was required
      var cancelledAt = system.events(id, ContractStatusChanged.class).stream()
          .filter(c -> c.getTo() == ContractStatus.CANCELLED).map(c -> c.getStatusSince()).min(java.util.Comparator.naturalOrder());
      cancelledAt.ifPresent(at -> system.events(id, PaymentSucceeded.class).stream()
          .filter(s -> s.getHeader().getOccurredAt().isAfter(at)).filter(s -> refunds == 0)
          .forEach(s -> problems.add("charged " + s.getAttemptId() + " after its cancellation at " + at)));
      // every service sees the same status
      var status = system.statusOf(org, id);
      var published = system.events(id, ContractStatusChanged.class).stream()
          .max(java.util.Comparator.comparingLong(ContractStatusChanged::getVersion)).map(c -> c.getTo().name()).orElse(null);
      if (status == null || !status.equals(published)) { // null: the admin API does not know it
        problems.add("the status-service shows " + status + ", its latest snapshot says " + published);
      }
      // every period that came due while the contract was ACTIVE was charged (ERROR waits, CANCELLED ends)
      var snapshots = system.events(id, ContractStatusChanged.class);
      var charged = new java.util.HashSet<LocalDate>(successes.keySet());
      system.events(id, PaymentFailed.class).stream().filter(f -> f.getFailureClass() != FailureClass.REFUSED)
          .forEach(f -> charged.add(f.getPeriod()));
      var calendar = new BillingCalendar(BillingCalendar.Interval.MONTHLY, member.firstCharge().getDayOfMonth(),
          member.firstCharge().getMonthValue());
      for (var period = member.firstCharge(); period.isBefore(end); period = calendar.nextChargeDateAfter(period)) {
        var due = period.atTime(9, 0).atZone(Journeys.TOKYO).toInstant();
        var then = snapshots.stream().filter(c -> c.getStatusSince().isBefore(due))
            .max(java.util.Comparator.comparingLong(ContractStatusChanged::getVersion)).map(c -> c.getTo());
        if (then.equals(java.util.Optional.of(ContractStatus.ACTIVE)) && !charged.contains(period)) {
          problems.add("ACTIVE when " + period + " came due, but that period was never charged");
        }
      }
      if (!problems.isEmpty()) {
        violations.add(id + " (" + member.behaviour() + ", " + member.token() + ", first charge " + member.firstCharge() + "): "
            + problems + "; its events: " + system.eventTypes(id));
      }
    }
    // dead letters only for poison that was injected: none here
    try (var deadLetters = new DeadLetters(endpoints.kafkaBootstrapServers())) {
      for (var topic : Topics.all()) {
        deadLetters.list(topic.deadLetterTopic()).stream().filter(d -> d.key() != null && d.key().startsWith(org))
            .forEach(d -> violations.add("dead letter on " + topic.deadLetterTopic() + " for " + d.key() + ": " + d.reason()));
      }
    }
    return violations;
  }

}
