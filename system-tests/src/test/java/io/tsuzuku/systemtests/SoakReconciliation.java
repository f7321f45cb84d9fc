package io.tsuzuku.systemtests;

import io.tsuzuku.schemas.KafkaAccess;
import io.tsuzuku.localstack.LocalSystem;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Filters;
import io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor.Payment;
import io.tsuzuku.events.ContractStatus;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.RefundRequired;
import io.tsuzuku.kit.DeadLetters;
import io.tsuzuku.localstack.LocalSystem.Service;
import io.tsuzuku.systemtests.Soak.Member;
import io.tsuzuku.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.bson.Document;

/**
 * Every promise of a soak, checked from sources that do not share a store: the payment
 * simulator's own ledger (what money moved), the records the services published, the
 * status-service's admin API, the billing-service's book, the retry-service's view, the
 * crm-sync-service's mirror, the Salesforce stub org's records and the dead-letter topics.
 * One line a violation, naming the contract with its whole history.
 */
final class SoakReconciliation {

  private final Journeys system;
  private final String org;
  private final List<Member> population;
  /** The day the checks look from: the soak's last, or a checkpoint's. */
  private final LocalDate end;
  private final List<String> poison;

  SoakReconciliation(Journeys system, String org, List<Member> population, LocalDate end, List<String> poison) {
    this.system = system;
    this.org = org;
    this.population = population;
    this.end = end;
    this.poison = poison;
  }

  /**
   * The violations once the services have agreed, or those left after a few minutes: what is
   * still on its way arrives (the clock moves minutes at a time, within the last day, so a paused
   * Salesforce sync resumes), while a double charge never goes away.
   */
  List<String> awaitAgreement() {
    try {
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3)).until(() -> {
        Journeys.CLOCK.advance(Duration.ofMinutes(5));
        return violations().isEmpty();
      });
      return List.of();
    } catch (ConditionTimeoutException stillViolated) {
      return violations(); // a look cut short by the timeout proves nothing: the last word is a whole one
    }
  }

  List<String> violations() {
    var payments = new HashMap<String, List<Payment>>();
    for (var payment : system.system.paymentSimulator().payments()) {
      var words = payment.description().split(" "); // "tsuzuku <contract> <period>"
      payments.computeIfAbsent(words[1], id -> new ArrayList<>()).add(payment);
    }
    var statusApi = statusServiceStatuses();
    var billing = documents(Service.BILLING, "billed_contracts");
    var retry = documents(Service.RETRY, "contract_views");
    var mirror = documents(Service.CRM_SYNC, "crm_contracts");
    var pendingJobs = pendingJobs();
    var salesforceValues = salesforceValues();
    var violations = new ArrayList<String>();
    for (var member : population) {
      var problems = check(member, payments.getOrDefault(member.contractId(), List.of()), statusApi, billing, retry, mirror,
          salesforceValues);
      problems.addAll(liveness(member, statusApi.get(member.contractId()),
          pendingJobs.getOrDefault(member.contractId(), java.util.Set.of())));
      problems.addAll(cardRule(member));
      if (!problems.isEmpty()) {
        violations.add(member.contractId() + " (" + member.behaviour() + ", " + member.cohort() + ", " + member.calendar().interval()
            + " anchor " + member.calendar().anchorDay() + ", " + member.token() + ", first charge " + member.firstCharge()
            + (member.actOn() == null ? "" : ", acts on " + member.actOn()) + "): " + problems + "\n    its history: " + history(member));
      }
    }
    violations.addAll(deadLetterViolations());
    violations.addAll(parkedLeft());
    return violations;
  }

  /** No record of the organisation's contracts is left parked in any service: each applied once its contract was known. */
  private List<String> parkedLeft() {
    var violations = new ArrayList<String>();
    for (var service : List.of(Service.BILLING, Service.RETRY, Service.STATUS)) {
      for (var parked : system.collection(service, "parked_records").find(Filters.regex("contractId", "^" + Pattern.quote(org)))) {
        violations.add(parked.getString("type") + " of " + parked.getString("contractId") + " still parked in " + service + ": "
            + parked.getString("reason"));
      }
    }
    return violations;
  }

  private List<String> check(Member member, List<Payment> payments, Map<String, String> statusApi, Map<String, Document> billing,
      Map<String, Document> retry, Map<String, Document> mirror, Map<String, String> salesforceValues) {
    var id = member.contractId();
    var problems = new ArrayList<String>();
    var refunds = system.events(id, RefundRequired.class);
    var refundedReferences = new HashSet<String>();
    refunds.forEach(r -> refundedReferences.add(r.getProcessorReference()));
    refunds.stream().filter(r -> r.getReason().equals("period_already_paid")).map(RefundRequired::getPeriod).distinct()
        .forEach(period -> problems.add("period " + period + " charged twice (a refund was required)"));

    // the processor's ledger: at most one payment a period, unless a refund of the other is required
    var byPeriod = new HashMap<String, List<Payment>>();
    payments.forEach(p -> byPeriod.computeIfAbsent(p.description().split(" ")[2], period -> new ArrayList<>()).add(p));
    byPeriod.forEach((period, paid) -> {
      var kept = paid.stream().filter(p -> !refundedReferences.contains(p.reference())).count();
      if (kept > 1) {
        problems.add(paid.size() + " payments at the processor for " + period + ", " + kept + " of them kept");
      }
    });
    // no outcome lost: every payment the processor took was published as a success
    var published = new HashSet<String>();
    system.events(id, PaymentSucceeded.class).forEach(s -> published.add(s.getProcessorReference()));
    payments.stream().filter(p -> !published.contains(p.reference()))
        .forEach(p -> problems.add("the processor took " + p.amountYen() + " yen (" + p.reference() + ", " + p.at()
            + ") that no PaymentSucceeded tells"));
    // nothing kept after the cancellation
    var snapshots = system.events(id, ContractStatusChanged.class);
    var cancelledAt = snapshots.stream().filter(c -> c.getTo() == ContractStatus.CANCELLED).map(ContractStatusChanged::getStatusSince)
        .min(Comparator.naturalOrder());
    cancelledAt.ifPresent(at -> payments.stream().filter(p -> !p.at().isBefore(at)).filter(p -> !refundedReferences.contains(p.reference()))
        .forEach(p -> problems.add("charged " + p.amountYen() + " yen at " + p.at() + " after its cancellation at " + at
            + ", and no refund required")));

    // every service shows the same status, and Salesforce the value its mapping gives
    var status = statusApi.get(id);
    var latest = snapshots.stream().max(Comparator.comparingLong(ContractStatusChanged::getVersion))
        .map(c -> c.getTo().name()).orElse(null);
    var seen = new java.util.LinkedHashMap<String, String>();
    seen.put("admin API", status);
    seen.put("latest snapshot", latest);
    seen.put("billing book", field(billing.get(id), "status"));
    seen.put("retry view", field(retry.get(id), "status"));
    seen.put("crm-sync mirror", field(mirror.get(id), "status"));
    if (status == null || seen.values().stream().anyMatch(s -> !status.equals(s))) {
      problems.add("the services disagree: " + seen);
    }
    var salesforce = system.salesforceStatus(id);
    var expected = status == null ? null : salesforceValues.get(status);
    if (!Objects.equals(expected, salesforce)) {
      problems.add("Salesforce shows " + salesforce + ", the mapping gives " + expected + " for " + status);
    }
    // no ACTIVE contract whose next charge date has passed
    var book = billing.get(id);
    if ("ACTIVE".equals(status) && book != null && book.getString("nextChargeOn") != null
        && LocalDate.parse(book.getString("nextChargeOn")).isBefore(end)) {
      problems.add("ACTIVE with its next charge on " + book.getString("nextChargeOn") + ", in the past");
    }
    // every period that came due while the contract was ACTIVE was charged (ERROR waits, CANCELLED
    // ends), but for the anchor day a recovery was paid on: the next charge is the first anchor day
    // strictly after the day of the payment (a re-payment answered after midnight on an anchor day)
    var charged = new HashSet<>(byPeriod.keySet());
    system.events(id, PaymentFailed.class).stream().filter(f -> f.getFailureClass() != FailureClass.REFUSED)
        .forEach(f -> charged.add(f.getPeriod().toString()));
    system.events(id, PaymentSucceeded.class).stream().filter(s -> s.getKind() != io.tsuzuku.events.ChargeKind.SCHEDULED)
        .forEach(s -> charged.add(s.getHeader().getOccurredAt().atZone(Journeys.TOKYO).toLocalDate().toString()));
    for (var period = member.firstCharge(); !period.isAfter(end); period = member.calendar().nextChargeDateAfter(period)) {
      var due = period.atTime(9, 0).atZone(Journeys.TOKYO).toInstant();
      if (statusAt(snapshots, due).equals(Optional.of(ContractStatus.ACTIVE)) && !charged.contains(period.toString())) {
        problems.add("ACTIVE when " + period + " came due, but that period was never charged");
      }
    }
    return problems;
  }

  /**
   * Nothing waits for ever: a current contract is never RETRYING without a pending automatic retry,
   * a legacy one never without its pending deadline, and a retry the latest snapshot announces
   * runs on its date (a day's grace: the clock moves a day at a time).
   */
  private List<String> liveness(Member member, String status, java.util.Set<String> pendingKinds) {
    var problems = new ArrayList<String>();
    var needed = member.cohort() == io.tsuzuku.events.Cohort.LEGACY ? "LEGACY_DEADLINE" : "AUTO_RETRY";
    if ("RETRYING".equals(status) && !pendingKinds.contains(needed)) {
      problems.add("RETRYING without a pending " + needed + " (pending: " + pendingKinds + ")");
    }
    system.events(member.contractId(), ContractStatusChanged.class).stream()
        .max(Comparator.comparingLong(ContractStatusChanged::getVersion))
        .filter(latest -> latest.getTo() == ContractStatus.RETRYING || latest.getTo() == ContractStatus.ERROR)
        .map(ContractStatusChanged::getNextRetry)
        .filter(next -> next.getAt().isBefore(end.minusDays(1).atStartOfDay(Journeys.TOKYO).toInstant()))
        .ifPresent(next -> problems.add("its " + next.getKind() + " of " + next.getAt() + " never ran"));
    return problems;
  }

  /**
   * Card networks' rule: after a decline that needs a new card, no charge reached the processor on
   * that card; the next attempt made is a re-payment (billing refuses one with the same card).
   */
  private List<String> cardRule(Member member) {
    var problems = new ArrayList<String>();
    var attempts = new ArrayList<SpecificRecord>();
    var seen = new java.util.HashSet<String>();
    system.events(member.contractId()).stream()
        .filter(e -> e instanceof PaymentSucceeded || e instanceof PaymentFailed f && f.getFailureClass() != FailureClass.REFUSED)
        // an outcome published again (the outbox delivers at least once) is the same charge, not another
        .filter(e -> seen.add(e instanceof PaymentSucceeded s ? s.getAttemptId() : ((PaymentFailed) e).getAttemptId()))
        .forEach(attempts::add);
    attempts.sort(Comparator.comparing(e -> Journeys.header(e).getOccurredAt()));
    var blocked = false;
    for (var attempt : attempts) {
      var kind = attempt instanceof PaymentSucceeded s ? s.getKind() : ((PaymentFailed) attempt).getKind();
      if (blocked && kind != io.tsuzuku.events.ChargeKind.SUPPORTER_REPAYMENT) {
        problems.add(kind + " charged at " + Journeys.header(attempt).getOccurredAt() + " after a decline that needs a new card");
      }
      blocked = attempt instanceof PaymentFailed f && f.getFailureClass() == FailureClass.HARD_DECLINE
          || blocked && kind != io.tsuzuku.events.ChargeKind.SUPPORTER_REPAYMENT;
    }
    return problems;
  }

  /** The kinds of the pending retry-service jobs of each contract of the organisation. */
  private Map<String, java.util.Set<String>> pendingJobs() {
    var pending = new HashMap<String, java.util.Set<String>>();
    system.collection(Service.RETRY, "retry_jobs").find(new Document("orgId", org).append("state", "PENDING"))
        .projection(new Document("contractId", 1).append("kind", 1))
        .forEach(d -> pending.computeIfAbsent(d.getString("contractId"), id -> new TreeSet<>()).add(d.getString("kind")));
    return pending;
  }

  private static Optional<ContractStatus> statusAt(List<ContractStatusChanged> snapshots, Instant at) {
    return snapshots.stream().filter(c -> c.getStatusSince().isBefore(at))
        .max(Comparator.comparingLong(ContractStatusChanged::getVersion)).map(ContractStatusChanged::getTo);
  }

  /** Dead letters of this organisation only for the poison injected, and every poison record dead-lettered. */
  private List<String> deadLetterViolations() {
    var violations = new ArrayList<String>();
    var deadLettered = new TreeSet<String>();
    try (var deadLetters = new DeadLetters(system.endpoints().kafkaClient(KafkaAccess.DEPLOYMENT))) {
      for (var topic : Topics.all()) {
        for (var letter : deadLetters.list(topic.deadLetterTopic())) {
          if (letter.key() == null || !letter.key().startsWith(org)) {
            continue;
          }
          if (poison.contains(letter.key())) {
            deadLettered.add(letter.key());
          } else {
            violations.add("dead letter on " + topic.deadLetterTopic() + " for " + letter.key() + ": " + letter.reason());
          }
        }
      }
    }
    poison.stream().filter(key -> !deadLettered.contains(key))
        .forEach(key -> violations.add("the poison record " + key + " was not dead-lettered"));
    return violations;
  }

  /** Each contract's status as the admin API lists it, page by page. */
  private Map<String, String> statusServiceStatuses() {
    var statuses = new HashMap<String, String>();
    String cursor = null;
    do {
      var page = system.get(Service.STATUS, "/api/orgs/" + org + "/contracts?limit=200" + (cursor == null ? "" : "&cursor=" + cursor), org);
      page.get("items").forEach(row -> statuses.put(row.get("contractId").asString(), row.get("status").asString()));
      cursor = page.get("nextCursor") == null || page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
    } while (cursor != null);
    return statuses;
  }

  /** The value the organisation's Salesforce mapping (its mode now) writes for each status. */
  private Map<String, String> salesforceValues() {
    var settings = system.get(Service.CRM_SYNC, "/api/orgs/" + org + "/salesforce", org);
    var values = new HashMap<String, String>();
    settings.get("values").get(settings.get("mode").asString()).properties()
        .forEach(entry -> values.put(entry.getKey(), entry.getValue().get("status").asString()));
    return values;
  }

  private Map<String, Document> documents(Service service, String collection) {
    var documents = new HashMap<String, Document>();
    // only what the checks read: a billing document carries its attempts, and 10,000 of them whole pass the wire's message limit
    system.collection(service, collection).find(new Document("orgId", org))
        .projection(new Document("status", 1).append("nextChargeOn", 1)).forEach(d -> documents.put(d.getString("_id"), d));
    return documents;
  }

  private static String field(Document document, String name) {
    return document == null ? null : document.getString(name);
  }

  /** The contract's records as read, one short line each. */
  private String history(Member member) {
    var lines = new ArrayList<String>();
    for (SpecificRecord event : system.events(member.contractId())) {
      var line = new StringBuilder(event.getClass().getSimpleName()).append('@').append(Journeys.header(event).getOccurredAt());
      for (var field : List.of("kind", "attemptNumber", "period", "from", "to", "failureCode", "reason")) {
        var schemaField = event.getSchema().getField(field);
        if (schemaField != null && event.get(schemaField.pos()) != null) {
          line.append(' ').append(field).append('=').append(event.get(schemaField.pos()));
        }
      }
      lines.add(line.toString());
    }
    return String.join("; ", lines);
  }
}
