package io.tsuzuku.billing.domain;

import io.tsuzuku.schemas.AttemptBudget;
import io.tsuzuku.schemas.AttemptIds;
import io.tsuzuku.schemas.ChargeRefusal;
import io.tsuzuku.schemas.CohortRules;
import io.tsuzuku.schemas.DeclineRules;
import io.tsuzuku.schemas.RepaymentLinks;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ledger of record (docs/ledger.md): every rule that decides whether money may move, in one class,
 * as pure functions from a contract's document to its next state and the facts to publish. The
 * store writes each result in one atomic, revision-guarded write, so these hold under duplicates,
 * reordering, crashes and several instances:
 *
 * <ol>
 *   <li><b>At most one success per (contract, period).</b> A charge is claimed before the processor
 *       is called: the claim puts the attempt in flight, and only one attempt per contract is ever
 *       in flight. A claim for a period that is paid, not due, not outstanding, for a cancelled
 *       contract, or on a card whose last decline needs a new one (card networks' rule) is refused
 *       with a named code; a refusal changes no status and reaches no processor.
 *   <li><b>Nothing charged after a cancellation without a refund.</b> A success whose time is not
 *       before the cancellation's publishes {@code RefundRequired}, whichever of the two arrives
 *       first.
 *   <li><b>One authority for a legacy deadline.</b> Whether a legacy contract's re-payment beat
 *       its deadline is decided here, on billing's business date, once: a re-payment is claimed
 *       only before the deadline's day; at the deadline a contract whose period is still unpaid and
 *       has nothing at the processor lapses ({@link Fact.DeadlineMissed}, the verdict every other
 *       service follows); one whose re-payment is at the processor waits for its answer, and lapses
 *       only if it failed.
 *   <li><b>Money is never kept silently.</b> A success that should not have happened is a
 *       {@link Fact.RefundRequired} with its reason.
 *   <li><b>No outcome is lost.</b> An attempt's completion and its outcome fact are one write.
 *   <li><b>Dates never go backwards.</b> A paid period's next charge date is after the day of
 *       payment (or after the period, for a scheduled charge due today), never before today; a
 *       status snapshot older than the one applied changes nothing; CANCELLED is final.
 * </ol>
 */
public final class Ledger {


  /** Finished attempts a document keeps: more than a budget window can hold. */
  static final int REMEMBERED_ATTEMPTS = 64;

  /** Paid periods a document keeps: two years of monthly charges. */
  static final int REMEMBERED_PAID_PERIODS = 24;

  /** Why money must go back. */
  public static final class RefundReasons {
    public static final String CHARGED_AFTER_CANCELLATION = "charged_after_cancellation";
    public static final String PERIOD_ALREADY_PAID = "period_already_paid";

    private RefundReasons() {}
  }

  private Ledger() {}

  /**
   * A charge someone asks for: the billing run, the retry service, or a supporter's re-payment.
   *
   * @param newCard the card a re-payment brings (null: the card on file); it becomes the card on
   *     file with the claim, in the same write, and a refused request changes nothing
   * @param link the re-payment link the supporter followed (null: none); it pays only what it names,
   *     once, before it expires, and is used by the claim, in the same write
   */
  public record Request(String attemptId, ChargeKind kind, int number, LocalDate period, String causeEventId, String newCard,
      LinkPresented link) {

    public Request(String attemptId, ChargeKind kind, int number, LocalDate period, String causeEventId) {
      this(attemptId, kind, number, period, causeEventId, null, null);
    }
  }

  /**
   * A re-payment link as billing read it ({@link RepaymentLinks}): what it says, once its signature
   * checked out; null when no key of the status-service signed it.
   */
  public record LinkPresented(RepaymentLinks.Link verified) {}

  /** The ledger's answer to a request. */
  public sealed interface Claim {
    /** Claimed: save {@code next} (the attempt in flight), then call the processor. */
    record Charge(BilledContract next, Attempt pending) implements Claim {}

    /** Not charged, for {@code refused.failureCode()}; publish it, change nothing else. */
    record Refused(Attempt refused) implements Claim {}

    /** The same attempt (or the same re-payment) again: it is in flight or finished already. */
    record Known(Attempt attempt) implements Claim {}
  }

  /** What the rest of the platform must hear. */
  public sealed interface Fact {
    /** A finished or refused attempt: {@code PaymentSucceeded} or {@code PaymentFailed}. */
    record Outcome(Attempt attempt) implements Fact {}

    /** Money taken that must go back. */
    record RefundRequired(Attempt attempt, String reason) implements Fact {}

    /** The processor accepted the refund of a successful attempt. */
    record RefundIssued(Attempt attempt, String refundReference, Instant at) implements Fact {}

    /** The processor's refund of a successful attempt failed: the administrators give the money back. */
    record RefundFailed(Attempt attempt, String refundReference, String failure, Instant at) implements Fact {}

    /**
     * A legacy contract's deadline passed with its period unpaid and nothing at the processor: it
     * is cancelled from {@code cancelledOn}, the verdict the status-service applies.
     */
    record DeadlineMissed(String contractId, String orgId, LocalDate period, LocalDate cancelledOn, Instant at)
        implements Fact {}
  }

  /** A document's next state and the facts to save with it, in one write. */
  public record Change(BilledContract next, List<Fact> facts) {}

  /** Decides whether {@code request} may be charged now, the card's budget not counted (tests of the ledger alone). */
  public static Claim claim(BilledContract c, Request request, Instant now, ZoneId zone) {
    return claim(c, request, now, zone, CardAttempts.UNCOUNTED);
  }

  /**
   * Decides whether {@code request} may be charged now; its last check reserves the attempt's place
   * in the card's budget across contracts ({@code cards}), so a refusal for any other reason takes none.
   */
  public static Claim claim(BilledContract c, Request request, Instant now, ZoneId zone, CardAttempts cards) {
    var known = c.attempt(request.attemptId()).or(() -> c.attemptCausedBy(request.causeEventId()));
    if (known.isPresent()) {
      return new Claim.Known(known.get());
    }
    var card = request.newCard() != null ? request.newCard() : c.paymentMethodToken();
    var refusal = refusal(c, request, card, now, zone, cards);
    if (refusal != null) {
      return new Claim.Refused(Attempt.refused(request.attemptId(), c.contractId(), c.orgId(), request.kind(), request.number(),
          request.period(), c.amountYen(), now, request.causeEventId(), refusal));
    }
    var pending = Attempt.pending(request.attemptId(), c.contractId(), c.orgId(), request.kind(), request.number(),
        request.period(), c.amountYen(), card, now, request.causeEventId(), c.cohort() == Cohort.LEGACY);
    return new Claim.Charge(c.with(d -> {
      d.paymentMethodToken = card;
      d.inFlight = pending;
      if (request.link() != null) {
        var link = request.link().verified();
        // an expired link is refused as such: forgotten a day after, whatever another instance's clock says
        d.usedLinks = new ArrayList<>(c.usedLinks().stream().filter(used -> now.isBefore(used.expiresAt().plus(Duration.ofDays(1))))
            .toList());
        d.usedLinks.add(new UsedLink(link.linkId(), link.expiresAt()));
      }
    }), pending);
  }

  /**
   * A supporter's new card, given at {@code givenAt} by the change {@code changeId} (docs/ledger.md,
   * "A new card for every contract"): the card on file from now on, unless the contract is
   * cancelled or holds a card given later (two updates may reach a contract in either order). An
   * attempt in flight keeps the card it was claimed with; the change's re-payment is then owed
   * until that attempt's answer ({@link #owedRepayment}). The new card's budget counts from its
   * first attempt.
   */
  public static Change cardReplaced(BilledContract c, String card, Instant givenAt, String changeId) {
    if (c.isCancelled() || c.cardGivenAt() != null && !givenAt.isAfter(c.cardGivenAt())) {
      return new Change(c, List.of());
    }
    var owedFor = c.outstandingPeriod() != null ? c.outstandingPeriod() : c.inFlight() != null ? c.inFlight().period() : null;
    return new Change(c.with(d -> {
      d.paymentMethodToken = card;
      d.cardGivenAt = givenAt;
      d.repaymentOwedBy = owedFor == null ? null : changeId;
      d.repaymentOwedFor = owedFor;
    }), List.of());
  }

  /**
   * The re-payment a card change still owes the contract: its period is outstanding, nothing is
   * at the processor, and no attempt was made for the change yet (the new card arrived while the
   * old one was being charged, and that charge failed).
   */
  public static Optional<Request> owedRepayment(BilledContract c) {
    if (c.repaymentOwedBy() == null || c.inFlight() != null || c.isCancelled()
        || !c.repaymentOwedFor().equals(c.outstandingPeriod()) || c.attemptCausedBy(c.repaymentOwedBy()).isPresent()
        || cardTriedFor(c, c.outstandingPeriod())) {
      return Optional.empty();
    }
    return Optional.of(repayment(c, c.outstandingPeriod(), c.repaymentOwedBy(), null));
  }

  /**
   * Whether the card on file was already charged for {@code period} (a retry, or the supporter's
   * re-payment with it): a card change then makes no re-payment of its own, so one card is not
   * tried twice in a row for the period because it came by two ways.
   */
  public static boolean cardTriedFor(BilledContract c, LocalDate period) {
    return c.attemptsMade().anyMatch(a -> a.period().equals(period) && c.paymentMethodToken() != null
        && c.paymentMethodToken().equals(a.paymentMethodToken()));
  }

  /** The supporter's next re-payment of {@code period}, caused by {@code causeEventId}, with {@code newCard} (null: the card on file). */
  public static Request repayment(BilledContract c, LocalDate period, String causeEventId, String newCard) {
    return repayment(c, period, causeEventId, newCard, null);
  }

  /** The same, through the re-payment link {@code link} (null: none). */
  public static Request repayment(BilledContract c, LocalDate period, String causeEventId, String newCard, LinkPresented link) {
    var number = nextRepaymentNumber(c, period);
    return new Request(AttemptIds.of(c.contractId(), period, ChargeKind.SUPPORTER_REPAYMENT.name(), number),
        ChargeKind.SUPPORTER_REPAYMENT, number, period, causeEventId, newCard, link);
  }

  /** Whether the card on file is this one, given at this time: what a card update charges with. */
  public static boolean holdsCard(BilledContract c, String card, Instant givenAt) {
    return card.equals(c.paymentMethodToken()) && givenAt.equals(c.cardGivenAt());
  }

  /** The number of a supporter's next re-payment of {@code period}. */
  public static int nextRepaymentNumber(BilledContract c, LocalDate period) {
    var made = c.attemptsMade()
        .filter(a -> a.kind() == ChargeKind.SUPPORTER_REPAYMENT && a.period().equals(period))
        .mapToInt(Attempt::number).max().orElse(0);
    return made + 1;
  }

  private static String refusal(BilledContract c, Request request, String card, Instant now, ZoneId zone,
      CardAttempts cards) {
    var linkRefusal = linkRefusal(c, request, now);
    if (linkRefusal != null) {
      return linkRefusal.code();
    }
    if (c.isCancelled()) {
      return ChargeRefusal.CONTRACT_CANCELLED.code();
    }
    if (request.kind().isRetry() && !CohortRules.isRetried(c.cohort().name())) {
      return ChargeRefusal.LEGACY_CONTRACT_RETRY.code();
    }
    if (c.inFlight() != null) {
      return ChargeRefusal.CHARGE_IN_PROGRESS.code();
    }
    if (c.isPaid(request.period())) {
      return ChargeRefusal.PERIOD_ALREADY_PAID.code();
    }
    var today = now.atZone(zone).toLocalDate();
    if (request.kind() == ChargeKind.SCHEDULED) {
      if (!c.isDueOn(today) || !c.periodDueOn(today).equals(request.period())) {
        return ChargeRefusal.PERIOD_NOT_DUE.code();
      }
    } else if (!request.period().equals(c.outstandingPeriod())) {
      return ChargeRefusal.PERIOD_NOT_OUTSTANDING.code();
    }
    if (c.cohort() == Cohort.LEGACY && request.kind() == ChargeKind.SUPPORTER_REPAYMENT
        && deadlineReached(c, request.period(), now, zone)) {
      return ChargeRefusal.REPAYMENT_DEADLINE_PASSED.code();
    }
    if (lastDeclineNeedsNewCard(c, card)) {
      return ChargeRefusal.NEW_CARD_REQUIRED.code();
    }
    // the networks count the attempts a card's issuer declined: this contract's own (also those made
    // before the card was counted across contracts), then the card's across every contract
    var declined = c.attempts().stream()
        .filter(a -> CardAttempts.counts(a) && card != null && card.equals(a.paymentMethodToken()))
        .map(Attempt::createdAt)
        .toList();
    if (!AttemptBudget.allowsAnother(declined, now)
        || card != null && !cards.reserve(c.orgId(), card, request.attemptId(), now)) {
      return ChargeRefusal.ATTEMPT_BUDGET_EXCEEDED.code();
    }
    return null;
  }

  /**
   * What a re-payment's link stands against: made by the status-service for this organisation,
   * contract and period, not expired, not used by an earlier charge.
   */
  private static ChargeRefusal linkRefusal(BilledContract c, Request request, Instant now) {
    if (request.link() == null) {
      return null;
    }
    var link = request.link().verified();
    if (link == null || !link.orgId().equals(c.orgId()) || !link.contractId().equals(c.contractId())
        || !link.period().equals(request.period())) {
      return ChargeRefusal.LINK_INVALID;
    }
    if (!now.isBefore(link.expiresAt())) {
      return ChargeRefusal.LINK_EXPIRED;
    }
    if (c.usedLinks().stream().anyMatch(used -> used.linkId().equals(link.linkId()))) {
      return ChargeRefusal.LINK_ALREADY_USED;
    }
    return null;
  }

  /** The card was last declined for good ({@link DeclineRules}): only another card is charged. */
  private static boolean lastDeclineNeedsNewCard(BilledContract c, String card) {
    for (int i = c.attempts().size() - 1; i >= 0; i--) {
      var a = c.attempts().get(i);
      if (card != null && card.equals(a.paymentMethodToken())) {
        return a.state() == Attempt.State.FAILED && a.failureClass() != null
            && DeclineRules.requiresNewCard(a.failureClass().name());
      }
    }
    return false;
  }

  /**
   * Whether a legacy contract whose {@code period} failed is past its re-payment deadline on
   * billing's business date: its next scheduled date after the period has come.
   */
  public static boolean deadlineReached(BilledContract c, LocalDate period, Instant now, ZoneId zone) {
    return !now.atZone(zone).toLocalDate().isBefore(c.calendar().legacyCancellationDay(period));
  }

  /**
   * The deadline of a legacy contract's unpaid {@code period} is due (the retry-service keeps the
   * timer and says so). Nothing changes for a contract that is not legacy, is cancelled, or has
   * paid the period, nor, once billing's date has reached the deadline, while a re-payment claimed
   * before it is at the processor: its answer decides ({@link #complete}). Otherwise the contract
   * lapses.
   *
   * @throws IllegalStateException when billing's business date has not reached the deadline yet
   *     (another service's clock ran ahead): nothing is decided, the caller tries again
   */
  public static Change repaymentDeadlineDue(BilledContract c, LocalDate period, Instant now, ZoneId zone) {
    if (c.cohort() != Cohort.LEGACY || c.isCancelled() || !period.equals(c.outstandingPeriod())) {
      return new Change(c, List.of());
    }
    // before the wait for an attempt in flight: an answer that comes before billing's midnight
    // does not decide the deadline, so the timer's record must come again
    if (!deadlineReached(c, period, now, zone)) {
      throw new IllegalStateException("the re-payment deadline of " + c.contractId() + " for " + period
          + " is not reached on billing's business date " + now.atZone(zone).toLocalDate());
    }
    if (c.inFlight() != null) {
      return new Change(c, List.of()); // its answer, after the deadline on billing's clock, decides (complete)
    }
    return lapsed(c, now);
  }

  private static Change lapsed(BilledContract c, Instant at) {
    var period = c.outstandingPeriod();
    return new Change(c.with(d -> {
      d.status = ContractStatus.CANCELLED;
      d.cancelledAt = at;
      d.nextChargeOn = null;
    }), List.of(new Fact.DeadlineMissed(c.contractId(), c.orgId(), period, c.calendar().legacyCancellationDay(period), at)));
  }

  /** Records what the processor answered for the attempt in flight. */
  public static Change complete(BilledContract c, Attempt finished, ZoneId zone) {
    if (c.inFlight() == null || !c.inFlight().attemptId().equals(finished.attemptId())) {
      if (c.attempt(finished.attemptId()).isPresent()) {
        return new Change(c, List.of()); // completed already, by another delivery or the reconciler
      }
      throw new IllegalStateException("attempt " + finished.attemptId() + " is not in flight for " + c.contractId());
    }
    var facts = new ArrayList<Fact>();
    facts.add(new Fact.Outcome(finished));
    var next = c.with(d -> {
      d.inFlight = null;
      d.attempts.add(finished);
      if (finished.state() == Attempt.State.SUCCEEDED) {
        if (c.isPaid(finished.period())) {
          facts.add(new Fact.RefundRequired(finished, RefundReasons.PERIOD_ALREADY_PAID));
          d.refundsDue.add(finished);
          return;
        }
        d.paidPeriods.add(finished.period());
        if (finished.period().equals(c.outstandingPeriod())) {
          d.outstandingPeriod = null;
        }
        if (c.cancelledAt() != null && !finished.finishedAt().isBefore(c.cancelledAt())) {
          facts.add(new Fact.RefundRequired(finished, RefundReasons.CHARGED_AFTER_CANCELLATION));
          d.refundsDue.add(finished);
        } else if (!c.isCancelled() && d.outstandingPeriod == null) {
          var paidOn = finished.finishedAt().atZone(zone).toLocalDate();
          // the first anchor date after the period and after the day of payment: never in the past
          d.nextChargeOn = c.calendar().nextChargeDateAfter(later(finished.period(), paidOn));
        }
      } else if (finished.state() == Attempt.State.FAILED && finished.kind() == ChargeKind.SCHEDULED && !c.isCancelled()) {
        d.outstandingPeriod = finished.period();
        d.nextChargeOn = null;
      }
    });
    if (next.cohort() == Cohort.LEGACY && !next.isCancelled() && next.outstandingPeriod() != null
        && deadlineReached(next, next.outstandingPeriod(), finished.finishedAt(), zone)) {
      // a re-payment at the processor as its deadline passed did not pay: the contract lapses now
      var lapsed = lapsed(next, finished.finishedAt());
      facts.addAll(lapsed.facts());
      return new Change(lapsed.next(), facts);
    }
    return new Change(next, facts);
  }

  private static LocalDate later(LocalDate a, LocalDate b) {
    return a.isAfter(b) ? a : b;
  }

  /**
   * A status snapshot from the status service. Older snapshots than the one applied change
   * nothing; CANCELLED is final. A cancellation requires a refund of every success from its time
   * on. (A legacy deadline's cancellation was decided here first: the snapshot finds the contract
   * cancelled already.)
   */
  public static Change statusChanged(BilledContract c, ContractStatus status, long version, Instant statusSince) {
    if (version <= c.statusVersion()) {
      return new Change(c, List.of());
    }
    if (c.isCancelled() || status != ContractStatus.CANCELLED) {
      return new Change(c.with(d -> {
        d.statusVersion = version;
        if (!c.isCancelled()) {
          d.status = status;
        }
      }), List.of());
    }
    var refunds = new ArrayList<Fact>();
    var due = c.attempts().stream()
        .filter(a -> a.state() == Attempt.State.SUCCEEDED && !a.finishedAt().isBefore(statusSince))
        .filter(a -> c.refundsDue().stream().noneMatch(r -> r.attemptId().equals(a.attemptId())))
        .toList();
    due.forEach(a -> refunds.add(new Fact.RefundRequired(a, RefundReasons.CHARGED_AFTER_CANCELLATION)));
    return new Change(c.with(d -> {
      d.refundsDue.addAll(due);
      d.status = ContractStatus.CANCELLED;
      d.statusVersion = version;
      d.cancelledAt = statusSince;
      d.nextChargeOn = null;
    }), refunds);
  }

  /**
   * A registration. Registering again changes nothing; a status that arrived first is kept (a
   * contract cancelled before its registration arrived stays cancelled).
   */
  public static BilledContract registered(BilledContract known, BilledContract registration) {
    if (known == null) {
      return registration;
    }
    if (known.registered()) {
      return known;
    }
    return known.with(d -> {
      d.orgId = registration.orgId();
      d.cohort = registration.cohort();
      d.calendar = registration.calendar();
      d.amountYen = registration.amountYen();
      d.paymentMethodToken = registration.paymentMethodToken();
      d.registered = true;
      d.nextChargeOn = known.isCancelled() ? null : registration.nextChargeOn();
    });
  }

  /** The processor says the refund of {@code attemptId} succeeded: it is no longer due. */
  public static Change refundIssued(BilledContract c, String attemptId, String refundReference, Instant at) {
    var refunded = c.refundsDue().stream().filter(a -> a.attemptId().equals(attemptId)).findFirst();
    if (refunded.isEmpty()) {
      return new Change(c, List.of()); // issued already
    }
    return new Change(c.with(d -> {
      d.refundsDue.removeIf(a -> a.attemptId().equals(attemptId));
      d.refundProgress.removeIf(p -> p.attemptId().equals(attemptId));
    }), List.of(new Fact.RefundIssued(refunded.get(), refundReference, at)));
  }

  /**
   * An administrator gave the money of {@code attemptId} back by hand and settled it: it is no
   * longer due, and billing never refunds it (whatever the organisation's refund policy becomes).
   */
  public static Change refundSettled(BilledContract c, String attemptId) {
    if (c.refundsDue().stream().noneMatch(a -> a.attemptId().equals(attemptId))) {
      return new Change(c, List.of()); // issued or settled already
    }
    return new Change(c.with(d -> {
      d.refundsDue.removeIf(a -> a.attemptId().equals(attemptId));
      d.refundProgress.removeIf(p -> p.attemptId().equals(attemptId));
    }), List.of());
  }

  /**
   * The processor took the refund of {@code attemptId} and has not said how it ends: still due,
   * followed by its reference (never sent again), until the processor says it succeeded or failed.
   */
  public static Change refundPending(BilledContract c, String attemptId, String refundReference) {
    return progress(c, new RefundProgress(attemptId, refundReference, null));
  }

  /**
   * The processor's refund of {@code attemptId} failed: the money is still owed, for the
   * organisation's administrators to give back by hand, who are told once; billing does not send it again.
   */
  public static Change refundFailed(BilledContract c, String attemptId, String refundReference, String failure, Instant at) {
    var change = progress(c, new RefundProgress(attemptId, refundReference, failure));
    if (change.next() == c) {
      return change; // issued, or failed, already
    }
    var owed = c.refundsDue().stream().filter(a -> a.attemptId().equals(attemptId)).findFirst().orElseThrow();
    return new Change(change.next(), List.of(new Fact.RefundFailed(owed, refundReference, failure, at)));
  }

  private static Change progress(BilledContract c, RefundProgress progress) {
    if (c.refundsDue().stream().noneMatch(a -> a.attemptId().equals(progress.attemptId()))
        || c.refundProgress(progress.attemptId()).filter(RefundProgress::failed).isPresent()) {
      return new Change(c, List.of()); // issued, or failed, already
    }
    return new Change(c.with(d -> {
      d.refundProgress.removeIf(p -> p.attemptId().equals(progress.attemptId()));
      d.refundProgress.add(progress);
    }), List.of());
  }

}
