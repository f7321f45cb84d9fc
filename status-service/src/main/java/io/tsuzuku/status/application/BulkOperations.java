package io.tsuzuku.status.application;

import io.tsuzuku.kit.BatchFailedAt;
import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.security.RequestRefused.Kind;
import io.tsuzuku.status.application.BulkResult.Item;
import io.tsuzuku.status.application.BulkResult.Outcome;
import io.tsuzuku.status.application.ContractEvents.Inbound;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.TransitionTable;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What an administrator does in bulk with their organisation's contracts (docs/admin-api.md): order
 * manual retries, withdraw one, send final notices and re-payment requests, cancel. One engine, a plan per action: each
 * call answers per contract and can be a dry run; whether a contract may take the action is the
 * transition table's to say. Every change goes through {@link ContractEvents}, so it is recorded, published and
 * idempotent like any other event: the event id is the request id and the contract id, so
 * repeating a request acts once. What writes to supporters (final notices, re-payment requests)
 * passes their contact budget too ({@link ContactBudget}).
 */
public final class BulkOperations {

  /** How many contracts a bulk call acts on together: one read and one write of the store for each such group. */
  static final int ACT_TOGETHER = 500;

  /** How long a re-payment request's link works. */
  public static final Duration LINK_VALIDITY = Duration.ofDays(14);

  private final ContractEvents contracts;
  private final ContractListing listing;
  private final AdminPolicy policy;
  private final ContactBudget budget;
  private final Clock clock;

  public BulkOperations(ContractEvents contracts, ContractListing listing, AdminPolicy policy, ContactBudget budget, Clock clock) {
    this.contracts = contracts;
    this.listing = listing;
    this.policy = policy;
    this.budget = budget;
    this.clock = clock;
  }

  public BulkResult manualRetries(
      String orgId, Selection selection, LocalDate retryOn, boolean dryRun, Actor actor, String requestId) {
    var today = listing.today();
    var runAt =
        retryOn.equals(today)
            ? clock.instant()
            : retryOn.atTime(policy.manualRetryTimeOfDay()).atZone(policy.zone()).toInstant();
    var latest = today.plusDays(policy.manualRetryHorizon().toDays());
    return bulk(orgId, selection, dryRun, contract -> {
      if (retryOn.isBefore(today) || retryOn.isAfter(latest)) {
        return refused(contract, "DATE_OUT_OF_RANGE", "the date must be from " + today + " to " + latest);
      }
      return ask(contract, contract.pendingManualRetry() == null ? Outcome.SCHEDULED : Outcome.MOVED,
          new ContractEvent.ManualRetryRequested(eventId(requestId, contract), clock.instant(), actor, retryOn, runAt));
    });
  }

  public BulkResult withdrawManualRetry(String orgId, String contractId, Actor actor, String requestId) {
    return bulk(orgId, new Selection.Ids(List.of(contractId)), false, contract -> ask(contract, Outcome.WITHDRAWN,
        new ContractEvent.ManualRetryWithdrawn(eventId(requestId, contract), clock.instant(), actor)));
  }

  public BulkResult finalNotices(
      String orgId, Selection selection, boolean dryRun, Actor actor, String requestId) {
    var today = listing.today();
    var resendFrom = today.minusDays(policy.finalNoticeInterval().toDays());
    return bulkOf(orgId, selection, dryRun, contacting(orgId, dryRun, "FINAL_NOTICE", contract -> {
      var decision = ask(contract, Outcome.SENT,
          new ContractEvent.FinalNoticeSent(eventId(requestId, contract), clock.instant(), actor, today));
      var last = contract.lastFinalNoticeOn();
      if (decision instanceof Planned && last != null && last.isAfter(resendFrom)) {
        return skipped(contract, "RECENTLY_NOTIFIED", "a final notice was sent on " + last);
      }
      return decision;
    }));
  }

  /**
   * Re-payment requests (再決済依頼): each contract with an outstanding period (RETRYING or ERROR)
   * gets one, with a link that pays that period once within {@link #LINK_VALIDITY}.
   */
  public BulkResult repaymentRequests(String orgId, Selection selection, boolean dryRun, Actor actor, String requestId) {
    return repaymentRequests(orgId, selection, dryRun, actor, requestId, contract -> true);
  }

  /**
   * As {@link #repaymentRequests(String, Selection, boolean, Actor, String)}, for the contracts
   * still {@code due} as read now; the others are skipped ({@code NO_LONGER_DUE}).
   */
  public BulkResult repaymentRequests(String orgId, Selection selection, boolean dryRun, Actor actor, String requestId,
      java.util.function.Predicate<Contract> due) {
    var today = listing.today();
    var expiresAt = clock.instant().plus(LINK_VALIDITY).truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // as the token holds it
    return bulkOf(orgId, selection, dryRun, contacting(orgId, dryRun, "REPAYMENT_REQUEST", contract -> due.test(contract)
        ? ask(contract, Outcome.SENT, new ContractEvent.RepaymentRequested(eventId(requestId, contract), clock.instant(), actor, today, expiresAt))
        : skipped(contract, "NO_LONGER_DUE", "asked to re-pay already, or no longer in its first failure")));
  }

  /**
   * A plan that writes to supporters: each contract it would act on takes its supporter's place in
   * the contact budget (a dry run counts, a real call reserves), or is held back with the reason.
   */
  private Function<Collection<Contract>, Function<Contract, Decision>> contacting(String orgId, boolean dryRun, String kind,
      Function<Contract, Decision> plan) {
    return selected -> {
      var round = budget.round(orgId, selected.stream().map(BulkOperations::supporterOf).distinct().toList(), dryRun);
      return contract -> {
        var decision = plan.apply(contract);
        if (!(decision instanceof Planned planned)) {
          return decision;
        }
        var supporter = supporterOf(contract);
        var id = planned.event().eventId();
        return round.take(supporter, id, kind)
            .<Decision>map(held -> new Declined(Item.not(contract.contractId(), Outcome.HELD_BACK, held.code(), held.detail())))
            .orElseGet(() -> new Planned(planned.outcome(), planned.event(), () -> round.release(supporter, id)));
      };
    };
  }

  /** Whom a contract's messages reach: its supporter, or the contract alone when the registration named none. */
  private static String supporterOf(Contract contract) {
    var supporter = contract.supporter();
    return supporter == null || supporter.supporterId() == null ? "contract:" + contract.contractId() : supporter.supporterId();
  }

  public BulkResult cancellations(
      String orgId, Selection selection, String reason, boolean dryRun, Actor actor, String requestId) {
    if (reason == null || reason.isBlank()) {
      throw new RequestRefused(Kind.INVALID, "REASON_REQUIRED", "a cancellation needs a reason");
    }
    return bulk(orgId, selection, dryRun, contract -> ask(contract, Outcome.CANCELLED,
        new ContractEvent.CancellationRequested(eventId(requestId, contract), clock.instant(), actor, reason.strip())));
  }

  /** What a bulk call decides for one contract: act (an outcome and its event), or decline. */
  private sealed interface Decision {}

  /** @param notMade gives back what deciding took (a supporter's place in the contact budget) if the event is not applied */
  private record Planned(Outcome outcome, ContractEvent event, Runnable notMade) implements Decision {

    Planned(Outcome outcome, ContractEvent event) {
      this(outcome, event, () -> {});
    }
  }

  private record Declined(Item item) implements Decision {}

  private BulkResult bulk(
      String orgId, Selection selection, boolean dryRun, Function<Contract, Decision> plan) {
    return bulkOf(orgId, selection, dryRun, selected -> plan);
  }

  /** A bulk call whose plan is made once the contracts are selected ({@code planFor} is given them). */
  private BulkResult bulkOf(
      String orgId, Selection selection, boolean dryRun, Function<Collection<Contract>, Function<Contract, Decision>> planFor) {
    var items = new ArrayList<Item>();
    var planned = new ArrayList<Integer>(); // the positions of the items to act on
    var events = new ArrayList<Inbound>();
    var notMade = new ArrayList<Runnable>();
    var selected = select(orgId, selection);
    var plan = planFor.apply(selected.values().stream().filter(Objects::nonNull).toList());
    for (var entry : selected.entrySet()) {
      var contract = entry.getValue();
      if (contract == null) {
        items.add(Item.not(entry.getKey(), Outcome.REFUSED, "UNKNOWN_CONTRACT", "no such contract"));
        continue;
      }
      var decision = plan.apply(contract);
      if (decision instanceof Planned decided) {
        planned.add(items.size());
        events.add(new Inbound(contract.contractId(), null, decided.event(), null));
        notMade.add(decided.notMade());
        items.add(Item.done(contract.contractId(), decided.outcome()));
      } else {
        items.add(((Declined) decision).item());
      }
    }
    if (!dryRun) {
      act(events, planned, items, notMade);
    }
    return new BulkResult(dryRun, items);
  }

  /**
   * Applies the planned events {@link #ACT_TOGETHER} at a time (their contracts read together and
   * written together); a contract that changed since it was selected so that the event no longer
   * applies (or, cancelled, takes no effect) is refused with the reason, and what deciding took for
   * it is given back. A request that fails gives back what the groups it never reached took.
   */
  private void act(List<Inbound> events, List<Integer> planned, List<Item> items, List<Runnable> notMade) {
    for (int from = 0; from < events.size(); from += ACT_TOGETHER) {
      var to = Math.min(from + ACT_TOGETHER, events.size());
      var group = events.subList(from, to);
      List<ContractEvents.Result> results;
      try {
        results = contracts.applyAll(group);
      } catch (BatchFailedAt failed) { // a contract that kept changing: the request fails, its Idempotency-Key repeats it
        notMade.get(from + failed.index()).run();
        notMade.subList(to, events.size()).forEach(Runnable::run);
        throw (RuntimeException) failed.getCause();
      }
      for (int i = 0; i < group.size(); i++) {
        if (results.get(i) == ContractEvents.Result.REJECTED || results.get(i) == ContractEvents.Result.NO_EFFECT) {
          items.set(planned.get(from + i), Item.not(group.get(i).contractId(), Outcome.REFUSED, "CHANGED_MEANWHILE",
              "the contract changed while the request ran"));
          notMade.get(from + i).run();
        }
      }
    }
  }

  /**
   * What the transition table says of the event on this contract, the one place that knows which
   * contracts may take it: a dry run answers what the real call will do. A contract already where
   * the event would take it is skipped; any other refusal carries the table's code.
   */
  private static Decision ask(Contract contract, Outcome outcome, ContractEvent event) {
    var verdict = TransitionTable.decide(contract, event);
    if (verdict instanceof TransitionTable.Verdict.Applies) {
      return new Planned(outcome, event);
    }
    var declined = (TransitionTable.Verdict.Declined) verdict;
    return declined.code().startsWith("ALREADY_")
        ? skipped(contract, declined.code(), declined.reason())
        : refused(contract, declined.code(), declined.reason());
  }

  private static Decision refused(Contract contract, String reason, String detail) {
    return new Declined(Item.not(contract.contractId(), Outcome.REFUSED, reason, detail));
  }

  private static Decision skipped(Contract contract, String reason, String detail) {
    return new Declined(Item.not(contract.contractId(), Outcome.SKIPPED, reason, detail));
  }

  /** The selected contracts by id, in the order asked; null for an unknown (or foreign) id. */
  private Map<String, Contract> select(String orgId, Selection selection) {
    var selected = new LinkedHashMap<String, Contract>();
    if (selection instanceof Selection.Matching matching) {
      listing.all(orgId, matching.filter()).forEach(c -> selected.put(c.contractId(), c));
      return selected;
    }
    List<String> ids;
    if (selection instanceof Selection.Ids named) {
      ids = named.contractIds();
      if (ids.isEmpty()) {
        throw new RequestRefused(Kind.INVALID, "EMPTY_SELECTION", "no contract was named");
      }
      if (ids.size() > policy.maxBulkSize()) {
        throw listing.tooLarge();
      }
    } else {
      ids = ((Selection.Resolved) selection).contractIds(); // what a filter matched when the request first ran
    }
    var found = contracts.findAll(ids); // read together
    ids.forEach(id -> selected.put(id, Optional.ofNullable(found.get(id)).filter(c -> c.orgId().equals(orgId)).orElse(null)));
    return selected;
  }

  private static String eventId(String requestId, Contract contract) {
    return requestId + ":" + contract.contractId();
  }
}
