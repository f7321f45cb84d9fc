package io.tsuzuku.billing.application;

import static io.tsuzuku.billing.application.BillingFixture.PERIOD;
import static io.tsuzuku.billing.application.BillingFixture.TOKYO;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.kit.BatchFailedAt;
import io.tsuzuku.schemas.UnprocessableRecordException;
import io.tsuzuku.schemas.AttemptIds;
import io.tsuzuku.schemas.RepaymentLinks;
import io.tsuzuku.billing.domain.ChargeKind;
import io.tsuzuku.billing.domain.Cohort;
import io.tsuzuku.billing.domain.Ledger;
import io.tsuzuku.billing.domain.ContractStatus;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.RefundRequired;
import io.tsuzuku.events.RepaymentDeadlineMissed;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The ledger's invariants (docs/ledger.md) over random histories: scheduled runs on two instances, automatic and manual retries
 * for right and wrong periods, double-clicked and stale re-payments, status snapshots out of order
 * and duplicated (one by one or a poll's together), cancellations, legacy deadlines falling due (early, late, twice, for stale periods),
 * commands delivered twice, a contract changed between a run's read and its claim, automatic refunds, a processor that does
 * not answer, and crashes before any write (the use cases restart from the stores). After every step, and once
 * everything has settled, the invariants are checked; a failure names its seed.
 */
class LedgerPropertyTest {

  private static final int SEEDS = Integer.getInteger("tsuzuku.ledger.seeds", 2_000);
  private static final int STEPS = 60;
  private static final List<String> CARDS = List.of("tok_ok", "tok_decline_insufficient_funds", "tok_decline_until_2027-05-20");

  @Test
  void noHistoryPaysAPeriodTwiceKeepsMoneySilentlyOrLosesAnOutcome() {
    var only = Long.getLong("tsuzuku.ledger.seed");
    for (long seed = only == null ? 0 : only; seed < (only == null ? SEEDS : only + 1); seed++) {
      try {
        run(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("ledger invariant broken with seed=" + seed + " (-Dtsuzuku.ledger.seed=" + seed + "): " + e.getMessage(), e);
      }
    }
  }

  private static void run(long seed) {
    var random = new Random(seed);
    try (var billing = new BillingFixture()) {
      var contracts = List.of("c-a", "c-b");
      var versions = new HashMap<String, Long>();
      var applied = new HashMap<String, Long>(); // the newest snapshot version delivered to a command that completed
      var commands = new ArrayList<Runnable>();
      for (var c : contracts) {
        billing.register(c, random.nextInt(4) == 0 ? Cohort.LEGACY : Cohort.CURRENT, CARDS.get(random.nextInt(CARDS.size())), PERIOD);
      }
      for (int step = 0; step < STEPS; step++) {
        var contract = contracts.get(random.nextInt(contracts.size()));
        billing.processorTimesOut = random.nextInt(8) == 0;
        switch (random.nextInt(6)) {
          case 0 -> billing.store.dieOnNextWrite = true;
          case 1 -> billing.store.dieAfterWrites(1); // dies after the claim, before the outcome is saved
          default -> { }
        }
        var command = command(random, billing, contract, versions, applied);
        commands.add(command);
        attempt(command);
        if (random.nextInt(5) == 0) {
          attempt(commands.get(random.nextInt(commands.size()))); // a delivery repeated, late
        }
        billing.store.dieOnNextWrite = false;
        billing.store.dieAfterWrites(-1);
        billing.processorTimesOut = false;
        checkAtMostOneSuccessPerPeriod(billing);
        checkNextChargeAfterPayment(billing, contracts);
        checkNoSnapshotLost(billing, applied);
      }
      settle(billing);
      checkAtMostOneSuccessPerPeriod(billing);
      checkEverySuccessPublishedOnceAndRefundedIfAfterCancellation(billing, contracts);
      checkNoDeadlineMissedForAPaidPeriod(billing);
      checkEachLinkUsedOnce(billing, contracts);
    }
  }

  /** A re-payment link pays one attempt at most, whichever of its re-payments came first. */
  private static void checkEachLinkUsedOnce(BillingFixture billing, List<String> contracts) {
    for (var id : contracts) {
      var byLink = billing.contract(id).attemptsMade().filter(a -> a.causeEventId() != null && a.causeEventId().startsWith("link:"))
          .collect(Collectors.groupingBy(a -> a.causeEventId().split(":")[1], Collectors.counting()));
      assertThat(byLink).as("attempts of %s by re-payment link", id).allSatisfy((link, n) -> assertThat(n).isEqualTo(1));
    }
  }

  private static Runnable command(Random random, BillingFixture billing, String contract, Map<String, Long> versions,
      Map<String, Long> applied) {
    var period = random.nextInt(4) == 0 ? PERIOD.plusMonths(random.nextInt(3) - 1) : outstandingOr(billing, contract);
    return switch (random.nextInt(10)) {
      case 0 -> {
        var hours = 1 + random.nextInt(24 * 9);
        yield () -> billing.clock.advance(Duration.ofHours(hours));
      }
      case 1 -> {
        var owner = random.nextBoolean() ? "instance-a" : "instance-b";
        // the run decides on the batch it read: sometimes another command changes a contract between
        var meanwhile = random.nextBoolean() ? command(random, billing, contract, versions, applied) : null;
        yield () -> {
          billing.store.afterNextBatchRead = meanwhile == null ? null : () -> attempt(meanwhile);
          billing.charges.runIfDue(owner);
        };
      }
      case 2, 3 -> {
        var kind = random.nextBoolean() ? ChargeKind.AUTO_RETRY : ChargeKind.MANUAL_RETRY;
        var number = 1 + random.nextInt(4);
        var eventId = "cmd-" + random.nextInt(1_000_000);
        yield () -> billing.charges.retryRequested(AttemptIds.of(contract, period, kind.name(), number), contract, "org-1", kind, number,
            period, eventId);
      }
      case 4 -> {
        var eventId = "repay-" + random.nextInt(1_000_000);
        var card = random.nextBoolean() ? null : CARDS.get(random.nextInt(CARDS.size()));
        if (random.nextInt(3) == 0) { // the supporter's new card, for every contract of theirs
          var newCard = CARDS.get(random.nextInt(CARDS.size()));
          // given a while ago: updates from two contracts of the supporter reach this one in either order
          var givenAt = billing.clock.instant().minus(Duration.ofMinutes(random.nextInt(600)));
          yield () -> billing.charges.cardUpdated(eventId, contract, "org-1", newCard, givenAt);
        }
        if (random.nextInt(3) == 0) { // through the link the contract's request for the period gave, expired after 20 days
          var claims = new RepaymentLinks.Link(contract + "/" + period, "org-1", contract, period,
              period.atStartOfDay(TOKYO).toInstant().plus(Duration.ofDays(20)));
          var linkEventId = "link:" + claims.linkId() + ":" + eventId;
          yield () -> billing.charges.repaymentSubmitted(linkEventId, contract, "org-1", period, card, new Ledger.LinkPresented(claims));
        }
        yield () -> billing.charges.repaymentSubmitted(eventId, contract, "org-1", period, card);
      }
      case 5 -> {
        // a snapshot on its own, or a poll of them applied together, another command sometimes between its read and its write
        var polled = new ArrayList<LedgerUpdates.Update>();
        var snapshots = new HashMap<String, Long>();
        for (int i = random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 1; i > 0; i--) {
          var of = i == 1 ? contract : "c-" + (char) ('a' + random.nextInt(2));
          var version = versions.merge(of, (long) (1 + random.nextInt(3)), Long::sum) - random.nextInt(3);
          var status = ContractStatus.values()[random.nextInt(ContractStatus.values().length)];
          var since = billing.clock.instant().minus(Duration.ofMinutes(random.nextInt(60 * 24 * 3)));
          polled.add(ContractBook.statusChange(of, "org-1", status, version, since, null));
          snapshots.merge(of, version, Math::max);
        }
        var meanwhile = polled.size() > 1 && random.nextBoolean() ? command(random, billing, contract, versions, applied) : null;
        yield () -> {
          if (polled.size() == 1) {
            billing.book.apply(polled.get(0));
          } else {
            billing.store.afterNextBatchRead = meanwhile == null ? null : () -> attempt(meanwhile);
            billing.book.applyAll(polled);
          }
          snapshots.forEach((of, version) -> applied.merge(of, version, Math::max));
        };
      }
      case 6 -> random.nextBoolean() ? () -> billing.attempts.reconcile() : () -> billing.refunds.issueDue();
      case 7 -> () -> billing.relay.relayPending();
      // the retry-service's timer: a legacy deadline is due (early, on time, late or for a stale period)
      case 8 -> () -> {
        try {
          billing.charges.repaymentDeadlineDue(contract, "org-1", period);
        } catch (UnprocessableRecordException farTooEarly) {
          // dead-lettered before anything was written; the invariants are checked as after any step
        }
      };
      default -> () -> billing.clock.advance(Duration.ofMinutes(1 + random.nextInt(120)));
    };
  }

  private static LocalDate outstandingOr(BillingFixture billing, String contract) {
    var c = billing.store.find(contract).orElseThrow();
    return c.outstandingPeriod() != null ? c.outstandingPeriod() : PERIOD;
  }

  private static void attempt(Runnable command) {
    try {
      command.run();
    } catch (IllegalStateException crashed) {
      // the process died at that step; the next step runs on what the stores kept
    } catch (BatchFailedAt failed) {
      if (!(failed.getCause() instanceof IllegalStateException)) {
        throw failed;
      } // the process died while the batch was saved
    }
  }

  /** Everything left in flight is reconciled and every message relayed. */
  private static void settle(BillingFixture billing) {
    billing.clock.advance(Duration.ofHours(1));
    billing.attempts.reconcile();
    billing.refunds.issueDue();
    billing.relay.relayPending();
  }

  private static void checkAtMostOneSuccessPerPeriod(BillingFixture billing) {
    var perPeriod = billing.charged.keySet().stream()
        .collect(Collectors.groupingBy(key -> key.substring(0, key.indexOf(':', key.indexOf(':') + 1)), Collectors.counting()));
    assertThat(perPeriod).as("successful charges per (contract, period)").allSatisfy((period, n) -> assertThat(n).isEqualTo(1));
  }

  /** A legacy contract lapses only when its period stayed unpaid: a verdict and a success of one period never meet. */
  /** A snapshot once applied is kept, or a newer one: none is lost to a write that came between. */
  private static void checkNoSnapshotLost(BillingFixture billing, Map<String, Long> applied) {
    applied.forEach((contract, version) -> assertThat(billing.store.find(contract).orElseThrow().statusVersion())
        .as("the status version of %s", contract).isGreaterThanOrEqualTo(version));
  }

  private static void checkNoDeadlineMissedForAPaidPeriod(BillingFixture billing) {
    for (var record : billing.published) {
      if (record instanceof RepaymentDeadlineMissed missed) {
        var contract = missed.getHeader().getContractId();
        assertThat(billing.chargedFor(contract, missed.getPeriod())).as("charges of %s for %s, which lapsed unpaid",
            contract, missed.getPeriod()).isZero();
        assertThat(billing.store.find(contract).orElseThrow().isCancelled()).as("%s lapsed", contract).isTrue();
      }
    }
  }

  private static void checkNextChargeAfterPayment(BillingFixture billing, List<String> contracts) {
    for (var id : contracts) {
      var c = billing.store.find(id).orElseThrow();
      var attempts = c.attempts();
      if (c.nextChargeOn() == null || attempts.isEmpty()) {
        continue;
      }
      var last = attempts.get(attempts.size() - 1);
      if (last.state() == io.tsuzuku.billing.domain.Attempt.State.SUCCEEDED && c.outstandingPeriod() == null) {
        assertThat(c.nextChargeOn()).as("next charge of %s after a payment on %s", id, last.finishedAt())
            .isAfter(last.finishedAt().atZone(TOKYO).toLocalDate());
      }
    }
  }

  private static void checkEverySuccessPublishedOnceAndRefundedIfAfterCancellation(BillingFixture billing, List<String> contracts) {
    var successIds = new HashMap<String, java.util.Set<String>>();
    var refunds = new HashMap<String, String>();
    for (var record : billing.published) {
      if (record instanceof PaymentSucceeded s) {
        successIds.computeIfAbsent(s.getAttemptId(), k -> new java.util.HashSet<>()).add(s.getHeader().getEventId());
      } else if (record instanceof RefundRequired r) {
        refunds.put(r.getAttemptId(), r.getReason());
      }
    }
    for (var key : billing.charged.keySet()) {
      assertThat(successIds.get(key)).as("the success of %s, published with one event id", key).hasSize(1);
    }
    // every refund required was issued (the organisation's policy is automatic), at most once
    assertThat(billing.simulator.refunds()).as("refunds issued").isEqualTo(refunds.size());
    for (var id : contracts) {
      var c = billing.store.find(id).orElseThrow();
      Instant cancelledAt = c.cancelledAt();
      if (cancelledAt == null) {
        continue;
      }
      c.attempts().stream()
          .filter(a -> a.state() == io.tsuzuku.billing.domain.Attempt.State.SUCCEEDED && !a.finishedAt().isBefore(cancelledAt))
          .forEach(a -> assertThat(refunds).as("a refund for %s, charged after the cancellation", a.attemptId())
              .containsKey(a.attemptId()));
    }
  }
}
