package io.tsuzuku.billing.application;

import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.application.port.LedgerStore;
import io.tsuzuku.billing.domain.Attempt;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.CardAttempts;
import io.tsuzuku.billing.domain.DeclineOverrides;
import io.tsuzuku.billing.domain.FailureClass;
import io.tsuzuku.billing.domain.Ledger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every charge goes through here: a scheduled charge, a retry ordered by the retry service, a
 * supporter's re-payment. The {@link Ledger} claims the charge first (the attempt in flight, in
 * the contract's document) or refuses it; only a claimed attempt reaches the processor, under its
 * id as the idempotency key; its completion and outcome message are one write. An attempt left in
 * flight (a crash, no answer) is reconciled by reading the processor's record of it, never by
 * charging again; one that stays unknown longer than {@code stuckAfter} is reported.
 */
public final class ChargeAttempts {

  private static final Logger log = LoggerFactory.getLogger(ChargeAttempts.class);

  private final Consumer<Attempt> decided;
  private final LedgerUpdates ledger;
  private final LedgerStore store;
  private final PaymentProcessor processor;
  private final Clock clock;
  private final ZoneId zone;
  private final DeclineOverrides declines;
  private final CardAttempts cards;
  private final Duration notFoundAfter;
  private final Duration stuckAfter;

  /**
   * @param notFoundAfter how long after its claim an attempt that a strongly consistent read of the
   *     processor does not find is taken as never charged (the first request may still be on its
   *     way); an answer the processor cannot give keeps it in flight, however long
   * @param stuckAfter how long an attempt may stay unknown before it is reported
   */
  public ChargeAttempts(LedgerUpdates ledger, LedgerStore store, PaymentProcessor processor, Clock clock, ZoneId zone,
      Duration notFoundAfter, Duration stuckAfter) {
    this(ledger, store, processor, clock, zone, notFoundAfter, stuckAfter, attempt -> {}, DeclineOverrides.NONE,
        CardAttempts.UNCOUNTED);
  }

  /**
   * @param decided told of every attempt refused or finished (the service counts them by outcome)
   * @param declines the organisations' own classes of decline codes
   * @param cards the attempts counted on each card across contracts
   */
  public ChargeAttempts(LedgerUpdates ledger, LedgerStore store, PaymentProcessor processor, Clock clock, ZoneId zone,
      Duration notFoundAfter, Duration stuckAfter, Consumer<Attempt> decided, DeclineOverrides declines,
      CardAttempts cards) {
    this.decided = decided;
    this.declines = declines;
    this.cards = cards;
    this.ledger = ledger;
    this.store = store;
    this.processor = processor;
    this.clock = clock;
    this.zone = zone;
    this.notFoundAfter = notFoundAfter;
    this.stuckAfter = stuckAfter;
  }

  /**
   * Charges the request at most once, whatever is delivered twice or dies half-way; returns the
   * attempt (refused, in flight, or finished), or null when {@code request} asks for nothing on the
   * contract as it stands.
   *
   * @param orgId the organisation the command names; another organisation's command is unprocessable
   */
  public Attempt charge(String contractId, String orgId, Function<BilledContract, Ledger.Request> request) {
    return charge(contractId, null, orgId, request);
  }

  /**
   * As {@link #charge(String, String, Function)}, decided first on {@code known}, the contract as
   * the caller just read it (the billing run's batch): its claim and its outcome are written
   * without reading the document again, unless another writer came first.
   */
  Attempt charge(BilledContract known, Function<BilledContract, Ledger.Request> request) {
    return charge(known.contractId(), known, null, request);
  }

  private Attempt charge(String contractId, BilledContract known, String orgId,
      Function<BilledContract, Ledger.Request> request) {
    var holder = new Ledger.Claim[1];
    var reserved = new Reservations();
    var saved = ledger.update(contractId, known, stored -> {
      var contract = LedgerUpdates.registered(stored, contractId, orgId);
      var asked = request.apply(contract);
      if (asked == null) { // nothing to charge any more, as the contract stands
        holder[0] = null;
        return new Ledger.Change(contract, List.of());
      }
      var claim = Ledger.claim(contract, asked, clock.instant(), zone, reserved);
      holder[0] = claim;
      if (claim instanceof Ledger.Claim.Charge charge) {
        return new Ledger.Change(charge.next(), List.of());
      }
      if (claim instanceof Ledger.Claim.Refused refused) {
        return new Ledger.Change(contract, List.of(new Ledger.Fact.Outcome(refused.refused())));
      }
      return new Ledger.Change(contract, List.of());
    });
    reserved.releaseUnmade(saved.next());
    if (holder[0] instanceof Ledger.Claim.Charge charge) {
      return callProcessor(charge.pending(), saved.next());
    }
    if (holder[0] instanceof Ledger.Claim.Refused refused) {
      log.warn("charge refused contractId='{}' attempt={} reason='{}'", contractId, refused.refused().attemptId(),
          refused.refused().failureCode());
      decided.accept(refused.refused());
      return refused.refused();
    }
    return holder[0] == null ? null : ((Ledger.Claim.Known) holder[0]).attempt();
  }

  /**
   * The places a claim reserved in cards' budgets: a change of the ledger may be decided more than
   * once (another write came first), so a place reserved by a decision that was not saved is given
   * back, unless the contract holds its attempt after all (claimed by this decision or another
   * instance's, or made before).
   */
  private final class Reservations implements CardAttempts {
    private record Held(String orgId, String card, String attemptId) {}

    private final List<Held> held = new ArrayList<>();

    @Override
    public boolean reserve(String orgId, String card, String attemptId, Instant at) {
      var room = cards.reserve(orgId, card, attemptId, at);
      if (room) {
        held.add(new Held(orgId, card, attemptId));
      }
      return room;
    }

    @Override
    public void release(String orgId, String card, String attemptId) {
      cards.release(orgId, card, attemptId);
    }

    /** Gives back the places of attempts the saved contract does not hold. */
    void releaseUnmade(BilledContract saved) {
      held.stream().filter(place -> saved.attempt(place.attemptId()).isEmpty())
          .forEach(place -> release(place.orgId(), place.card(), place.attemptId()));
    }
  }

  /** One pass over the attempts in flight: reads the processor's record of each, charges nothing. */
  public int reconcile() {
    int finished = 0;
    for (var contract : store.withAttemptInFlight()) {
      var pending = contract.inFlight();
      if (pending == null) {
        continue;
      }
      var result = processor.lookup(PaymentProcessor.Charge.of(pending));
      var age = Duration.between(pending.createdAt(), clock.instant());
      if (result instanceof PaymentProcessor.Result.NotFound) {
        if (age.compareTo(notFoundAfter) < 0) {
          continue; // the call may still be on its way
        }
        result = new PaymentProcessor.Result.Declined(Attempt.NOT_CHARGED, FailureClass.PROCESSOR_ERROR,
            "the processor has no record of the attempt: it was never charged");
      }
      if (finish(pending, result, contract) != pending) {
        finished++;
      } else if (age.compareTo(stuckAfter) >= 0) {
        log.warn("charge outcome still unknown contractId='{}' attempt={} since='{}'", pending.contractId(),
            pending.attemptId(), pending.createdAt());
      }
    }
    return finished;
  }

  /** Attempts whose outcome has been unknown for longer than {@code stuckAfter}, for operators. */
  public List<Attempt> stuck() {
    var now = clock.instant();
    return store.withAttemptInFlight().stream().map(BilledContract::inFlight)
        .filter(a -> a != null && !a.createdAt().plus(stuckAfter).isAfter(now))
        .toList();
  }

  /** @param claimed the contract as the claim wrote it */
  private Attempt callProcessor(Attempt attempt, BilledContract claimed) {
    var result = processor.charge(PaymentProcessor.Charge.of(attempt));
    var outcome = finish(attempt, result, claimed);
    if (outcome == attempt) {
      log.warn("charge outcome unknown, left for reconciliation contractId='{}' attempt={}", attempt.contractId(),
          attempt.attemptId());
    }
    return outcome;
  }

  /**
   * Completes the attempt with what the processor said; an unknown answer leaves it in flight.
   *
   * @param known the contract as last read or written with the attempt in flight
   */
  private Attempt finish(Attempt attempt, PaymentProcessor.Result result, BilledContract known) {
    var now = clock.instant();
    Attempt finished;
    if (result instanceof PaymentProcessor.Result.Succeeded succeeded) {
      finished = attempt.succeeded(succeeded.reference(), now);
    } else if (result instanceof PaymentProcessor.Result.Declined declined) {
      finished = attempt.failed(declined.code(), declines.classify(attempt.orgId(), declined.code(), declined.failureClass()), now);
    } else {
      return attempt; // unknown: it stays in flight
    }
    var saved = ledger.update(attempt.contractId(), known, stored -> Ledger.complete(stored.orElseThrow(), finished, zone));
    // by what the ledger kept: an answer that came after another finished the attempt changes nothing
    saved.next().attempt(attempt.attemptId())
        .filter(kept -> kept.state() != Attempt.State.PENDING && !CardAttempts.counts(kept) && kept.paymentMethodToken() != null)
        .ifPresent(kept -> cards.release(kept.orgId(), kept.paymentMethodToken(), kept.attemptId()));
    decided.accept(finished);
    if (Ledger.owedRepayment(saved.next()).isPresent()) { // a new card arrived while this attempt was at the processor
      charge(attempt.contractId(), saved.next(), null, contract -> Ledger.owedRepayment(contract).orElse(null));
    }
    return finished;
  }
}
