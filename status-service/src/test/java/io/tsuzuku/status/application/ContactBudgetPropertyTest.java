package io.tsuzuku.status.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.status.application.port.MessageFactory;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Attempt;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Effect;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Outcome;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.status.domain.Supporter;
import io.tsuzuku.testkit.MovableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contact budget over random histories (docs/admin-api.md, "Contact budget"): supporters with
 * several contracts, final notices and re-payment requests by ids and by filter, dry runs, requests
 * repeated under their key, first failures and the requests they send by themselves, two instances
 * of the service, the organisation changing its policy and the clock moving through days and nights. What counts is what the service would publish (each
 * contract's outbox): no supporter is contacted more often than the policy in force allowed when the
 * message was made, and nobody in the quiet hours. A failure names its seed.
 */
class ContactBudgetPropertyTest {

  private static final int SEEDS = Integer.getInteger("tsuzuku.contacts.seeds", 500);
  private static final int STEPS = 60;
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final LocalDate PERIOD = LocalDate.of(2027, 2, 1);
  private static final List<String> SUPPORTERS = List.of("s-1", "s-2", "s-3");
  private static final List<String> CONTRACTS = List.of("c-1", "c-2", "c-3", "c-4", "c-5", "c-6");
  private static final List<ContactBudget.Policy> POLICIES = List.of(ContactBudget.Policy.DEFAULT,
      new ContactBudget.Policy(1, 14, LocalTime.of(20, 0), LocalTime.of(8, 0)),
      new ContactBudget.Policy(3, 7, LocalTime.of(8, 0), LocalTime.of(9, 0)),
      new ContactBudget.Policy(2, 60, LocalTime.NOON, LocalTime.NOON),
      new ContactBudget.Policy(2, 30, LocalTime.of(21, 0), LocalTime.of(9, 0), true),
      new ContactBudget.Policy(1, 14, LocalTime.of(20, 0), LocalTime.of(8, 0), true));

  @Test
  void noSupporterIsContactedMoreOftenThanThePolicyInForceAllowsNorInTheQuietHours() {
    var only = Long.getLong("tsuzuku.contacts.seed");
    for (long seed = only == null ? 0 : only; seed < (only == null ? SEEDS : only + 1); seed++) {
      try {
        run(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("contact budget broken with seed=" + seed + " (-Dtsuzuku.contacts.seed=" + seed + "): "
            + e.getMessage(), e);
      }
    }
  }

  /** A message the service would publish to a supporter, and the policy in force when it was made. */
  private record Sent(String supporterId, Instant at, ContactBudget.Policy policy) {}

  private static void run(long seed) {
    var random = new Random(seed);
    var clock = new MovableClock(LocalDate.of(2027, 3, 1).atTime(10, 0).atZone(TOKYO).toInstant());
    var store = new InMemoryContractStore();
    var contracts = new ContractEvents(store, new Contacts(), () -> {});
    var policy = new AdminPolicy(TOKYO, Duration.ofDays(90), LocalTime.of(10, 0), Duration.ofDays(random.nextInt(3) * 5), 100);
    var listing = new ContractListing((orgId, filter, afterId, limit) -> store.documents.values().stream()
        .map(StoredContract::contract).filter(c -> c.orgId().equals(orgId)).filter(filter::matches)
        .filter(c -> afterId == null || c.contractId().compareTo(afterId) > 0)
        .sorted(Comparator.comparing(Contract::contractId)).limit(limit).toList(), policy, clock);
    var contacts = new InMemorySupporterContacts();
    // two instances of the service: their own engines, the same stores
    var instances = List.of(new BulkOperations(contracts, listing, policy, contacts.budget(clock, TOKYO), clock),
        new BulkOperations(contracts, listing, policy, contacts.budget(clock, TOKYO), clock));
    var firstFailures = instances.stream().map(operations -> new FirstFailureRequests(contacts, listing, operations, clock)).toList();
    var supporterOf = new HashMap<String, String>();
    for (var id : CONTRACTS) {
      var supporter = SUPPORTERS.get(random.nextInt(SUPPORTERS.size()));
      supporterOf.put(id, supporter);
      var at = clock.instant().minus(Duration.ofDays(60));
      contracts.register(Contract.register(id, "org-1", Cohort.CURRENT, new Supporter(supporter, "n", "e@example.org"), 3000, at), "reg-" + id);
      if (random.nextInt(3) == 0) {
        continue; // ACTIVE: its first failure comes later
      }
      contracts.apply(id, new ContractEvent.PaymentFailed("f-" + id, at.plusSeconds(1), new Attempt(id + ":s", PERIOD, ChargeKind.SCHEDULED, 0),
          3000, new Failure("card_declined", "SOFT_DECLINE", at)));
      if (random.nextBoolean()) {
        contracts.apply(id, new ContractEvent.RetriesExhausted("x-" + id, at.plus(Duration.ofDays(21)), PERIOD));
      }
    }
    var sent = new ArrayList<Sent>();
    var keys = new ArrayList<String>();
    for (int step = 0; step < STEPS; step++) {
      var instance = random.nextInt(instances.size());
      var operations = instances.get(instance);
      switch (random.nextInt(8)) {
        case 0 -> clock.advance(Duration.ofHours(1 + random.nextInt(24 * 6)));
        case 1 -> {
          if (random.nextInt(4) == 0) {
            contacts.set("org-1", POLICIES.get(random.nextInt(POLICIES.size())));
          }
        }
        case 2 -> {
          var id = CONTRACTS.get(random.nextInt(CONTRACTS.size()));
          contracts.apply(id, new ContractEvent.PaymentFailed("f-" + id, clock.instant(), new Attempt(id + ":s", PERIOD, ChargeKind.SCHEDULED, 0),
              3000, new Failure("card_declined", "SOFT_DECLINE", clock.instant()))); // a duplicate where it failed already
        }
        case 3 -> {
          var before = outbox(store);
          var inForce = contacts.of("org-1");
          firstFailures.get(instance).sendDue();
          outbox(store).entrySet().stream().filter(e -> !before.containsKey(e.getKey()))
              .forEach(e -> sent.add(new Sent(supporterOf.get(e.getValue()), clock.instant(), inForce)));
        }
        default -> {
          // a new request, or one repeated under its key (a retry of the client's)
          var requestId = keys.isEmpty() || random.nextInt(4) != 0 ? "key:" + UUID.randomUUID() : keys.get(random.nextInt(keys.size()));
          keys.add(requestId);
          Selection selection = random.nextInt(3) == 0
              ? new Selection.Matching(new ContractFilter(random.nextBoolean() ? Status.ERROR : null, null, null, null, null, null))
              : new Selection.Ids(CONTRACTS.stream().filter(c -> random.nextInt(3) == 0).findFirst().map(List::of).orElse(List.of("c-1")));
          var dryRun = random.nextInt(4) == 0;
          var before = outbox(store);
          var inForce = contacts.of("org-1");
          if (random.nextBoolean()) {
            operations.finalNotices("org-1", selection, dryRun, Actor.administrator("admin"), requestId);
          } else {
            operations.repaymentRequests("org-1", selection, dryRun, Actor.administrator("admin"), requestId);
          }
          var after = outbox(store);
          if (dryRun) {
            assertThat(after).as("a dry run's messages").isEqualTo(before);
          }
          after.entrySet().stream().filter(e -> !before.containsKey(e.getKey()))
              .forEach(e -> sent.add(new Sent(supporterOf.get(e.getValue()), clock.instant(), inForce)));
        }
      }
    }
    for (var message : sent) {
      var time = message.at().atZone(TOKYO).toLocalTime();
      assertThat(message.policy().quietAt(time)).as("a message to %s at %s, in the quiet hours", message.supporterId(), time).isFalse();
      var window = message.at().minus(message.policy().window());
      var earlier = sent.stream().filter(s -> s.supporterId().equals(message.supporterId()) && s != message
          && s.at().isAfter(window) && !s.at().isAfter(message.at()) && sent.indexOf(s) < sent.indexOf(message)).count();
      assertThat(earlier).as("messages to %s in the %d days before one at %s", message.supporterId(), message.policy().windowDays(),
          message.at()).isLessThan(message.policy().maxContacts());
    }
  }

  /** The supporters' messages the contracts hold for publication, by message id: the contract each is about. */
  private static Map<String, String> outbox(InMemoryContractStore store) {
    var messages = new HashMap<String, String>();
    store.documents.values().forEach(stored -> stored.outbox().stream()
        .filter(m -> m.type().equals("FinalNoticeRequested") || m.type().equals("RepaymentRequested"))
        .forEach(m -> messages.put(m.id(), m.contractId())));
    return messages;
  }

  /** The messages the supporters get, without their bodies; nothing else. */
  private static final class Contacts implements MessageFactory {
    @Override
    public List<OutboxMessage> messagesFor(Outcome outcome) {
      var messages = new ArrayList<OutboxMessage>();
      for (var effect : outcome.effects()) {
        var type = effect instanceof Effect.FinalNoticeOrdered ? "FinalNoticeRequested"
            : effect instanceof Effect.RepaymentRequestOrdered ? "RepaymentRequested" : null;
        if (type != null) {
          messages.add(new OutboxMessage(UUID.randomUUID().toString(), outcome.contract().contractId(), type,
              outcome.event().eventId().getBytes(StandardCharsets.UTF_8)));
        }
      }
      return messages;
    }

    @Override
    public List<OutboxMessage> registered(Contract contract, String causationId) {
      return List.of();
    }

    @Override
    public OutboxMessage refundSettled(Contract contract, RefundOwed refund, String settledBy, Instant at, String eventId) {
      throw new UnsupportedOperationException();
    }
  }
}
