package io.tsuzuku.billing.domain;

import io.tsuzuku.calendar.BillingCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A contract as billing's ledger keeps it, in one document: what to charge and on which card,
 * when next, which period is outstanding, which periods are paid, the attempt at the processor
 * right now, and the recent attempts. {@link Ledger} is the only code that changes it.
 *
 * @param cardGivenAt when the supporter gave the card on file through a card update (the update's
 *     time, as the re-payment form stamped it); null for the registration's card. An older
 *     update arriving later changes nothing
 * @param repaymentOwedBy the card change whose re-payment waits for the attempt at the processor to
 *     fail (null: none): the new card arrived while the old one was being charged
 * @param repaymentOwedFor the period that re-payment is for; once another is outstanding it is void
 * @param usedLinks the re-payment links a charge was claimed with, until they expire: each pays once
 * @param registered false while only a status snapshot has arrived (the registration travels on
 *     another topic): such a contract is never charged
 * @param statusVersion the version of the last status snapshot applied; older ones are ignored
 * @param cancelledAt when the contract was cancelled (the snapshot's statusSince), null if not
 * @param nextChargeOn the next scheduled charge date; null while a period is outstanding or once
 *     cancelled
 * @param outstandingPeriod the period whose scheduled charge failed and is not paid yet
 * @param paidPeriods the periods paid, most recent last (a bounded window)
 * @param inFlight the attempt claimed and at the processor now (at most one per contract)
 * @param attempts the finished attempts, most recent last (a bounded window)
 * @param refundsDue successful attempts whose money must go back and has not been refunded yet
 * @param refundProgress how the processor's refund of some of them goes (pending, or failed)
 * @param revision the store's optimistic lock; 0 for a contract not stored yet
 */
public record BilledContract(
    String contractId,
    String orgId,
    Cohort cohort,
    BillingCalendar calendar,
    long amountYen,
    String paymentMethodToken,
    Instant cardGivenAt,
    String repaymentOwedBy,
    LocalDate repaymentOwedFor,
    List<UsedLink> usedLinks,
    boolean registered,
    ContractStatus status,
    long statusVersion,
    Instant cancelledAt,
    LocalDate nextChargeOn,
    LocalDate outstandingPeriod,
    List<LocalDate> paidPeriods,
    Attempt inFlight,
    List<Attempt> attempts,
    List<Attempt> refundsDue,
    List<RefundProgress> refundProgress,
    long revision) {

  public BilledContract {
    usedLinks = List.copyOf(usedLinks);
    paidPeriods = List.copyOf(paidPeriods);
    attempts = List.copyOf(attempts);
    refundsDue = List.copyOf(refundsDue);
    refundProgress = List.copyOf(refundProgress);
  }

  /** This state as the store holds it once written: the revision of that write. */
  public BilledContract written() {
    return new BilledContract(contractId, orgId, cohort, calendar, amountYen, paymentMethodToken, cardGivenAt, repaymentOwedBy,
        repaymentOwedFor, usedLinks, registered, status,
        statusVersion, cancelledAt, nextChargeOn, outstandingPeriod, paidPeriods, inFlight, attempts, refundsDue,
        refundProgress, revision + 1);
  }

  /** A contract as its registration describes it, ACTIVE, first charged on {@code firstChargeOn}. */
  public static BilledContract registration(
      String contractId, String orgId, Cohort cohort, BillingCalendar calendar, long amountYen, String token,
      LocalDate firstChargeOn) {
    return new BilledContract(contractId, orgId, cohort, calendar, amountYen, token, null, null, null, List.of(), true, ContractStatus.ACTIVE,
        0, null,
        firstChargeOn, null, List.of(), null, List.of(), List.of(), List.of(), 0);
  }

  /** What billing knows of a contract whose status arrived before its registration. */
  public static BilledContract statusOnly(String contractId, String orgId) {
    return new BilledContract(contractId, orgId, null, null, 0, null, null, null, null, List.of(), false, ContractStatus.ACTIVE, 0, null,
        null, null,
        List.of(), null, List.of(), List.of(), List.of(), 0);
  }

  public boolean isCancelled() {
    return status == ContractStatus.CANCELLED;
  }

  public boolean isPaid(LocalDate period) {
    return paidPeriods.contains(period);
  }

  /** Due for a scheduled charge on {@code today}: registered, not cancelled, nothing outstanding. */
  public boolean isDueOn(LocalDate today) {
    return registered && !isCancelled() && outstandingPeriod == null && nextChargeOn != null && !nextChargeOn.isAfter(today);
  }

  /**
   * The period a billing run on {@code today} charges: the latest scheduled date due by today. After
   * downtime, missed dates are not charged one by one: donations are not debts.
   */
  public LocalDate periodDueOn(LocalDate today) {
    var period = nextChargeOn;
    for (var next = calendar.nextChargeDateAfter(period); !next.isAfter(today); next = calendar.nextChargeDateAfter(next)) {
      period = next;
    }
    return period;
  }

  /** How the processor's refund of the attempt {@code attemptId} goes, once it was sent. */
  public Optional<RefundProgress> refundProgress(String attemptId) {
    return refundProgress.stream().filter(p -> p.attemptId().equals(attemptId)).findFirst();
  }

  /** A refund due that billing still has to issue or follow (not one that failed at the processor). */
  public boolean hasRefundToIssue() {
    return refundsDue.stream().anyMatch(a -> refundProgress(a.attemptId()).map(p -> !p.failed()).orElse(true));
  }

  /** The attempt with this id, at the processor now or finished. */
  public Optional<Attempt> attempt(String attemptId) {
    if (inFlight != null && inFlight.attemptId().equals(attemptId)) {
      return Optional.of(inFlight);
    }
    return attempts.stream().filter(a -> a.attemptId().equals(attemptId)).findFirst();
  }

  /** The finished attempts kept, then the one at the processor, if any. */
  public Stream<Attempt> attemptsMade() {
    return Stream.concat(attempts.stream(), Stream.ofNullable(inFlight));
  }

  /** The attempt an event caused (a re-payment delivered twice), at the processor now or finished. */
  public Optional<Attempt> attemptCausedBy(String causeEventId) {
    if (causeEventId == null) {
      return Optional.empty();
    }
    if (inFlight != null && causeEventId.equals(inFlight.causeEventId())) {
      return Optional.of(inFlight);
    }
    return attempts.stream().filter(a -> causeEventId.equals(a.causeEventId())).findFirst();
  }

  BilledContract with(Consumer<Draft> change) {
    var draft = new Draft(this);
    change.accept(draft);
    return draft.build();
  }

  /** A mutable copy, so that each rule of the {@link Ledger} names only the fields it changes. */
  static final class Draft {
    String orgId;
    Cohort cohort;
    BillingCalendar calendar;
    long amountYen;
    String paymentMethodToken;
    Instant cardGivenAt;
    String repaymentOwedBy;
    LocalDate repaymentOwedFor;
    List<UsedLink> usedLinks;
    boolean registered;
    ContractStatus status;
    long statusVersion;
    Instant cancelledAt;
    LocalDate nextChargeOn;
    LocalDate outstandingPeriod;
    List<LocalDate> paidPeriods;
    Attempt inFlight;
    List<Attempt> attempts;
    List<Attempt> refundsDue;
    List<RefundProgress> refundProgress;
    private final BilledContract from;

    private Draft(BilledContract c) {
      from = c;
      orgId = c.orgId;
      cohort = c.cohort;
      calendar = c.calendar;
      amountYen = c.amountYen;
      paymentMethodToken = c.paymentMethodToken;
      cardGivenAt = c.cardGivenAt;
      repaymentOwedBy = c.repaymentOwedBy;
      repaymentOwedFor = c.repaymentOwedFor;
      usedLinks = c.usedLinks;
      registered = c.registered;
      status = c.status;
      statusVersion = c.statusVersion;
      cancelledAt = c.cancelledAt;
      nextChargeOn = c.nextChargeOn;
      outstandingPeriod = c.outstandingPeriod;
      paidPeriods = new ArrayList<>(c.paidPeriods);
      inFlight = c.inFlight;
      attempts = new ArrayList<>(c.attempts);
      refundsDue = new ArrayList<>(c.refundsDue);
      refundProgress = new ArrayList<>(c.refundProgress);
    }

    private BilledContract build() {
      return new BilledContract(from.contractId, orgId, cohort, calendar, amountYen, paymentMethodToken, cardGivenAt,
          repaymentOwedBy, repaymentOwedFor, usedLinks, registered, status,
          statusVersion, cancelledAt, nextChargeOn, outstandingPeriod, last(paidPeriods, Ledger.REMEMBERED_PAID_PERIODS), inFlight,
          last(attempts, Ledger.REMEMBERED_ATTEMPTS), refundsDue, refundProgress, from.revision);
    }

    private static <T> List<T> last(List<T> items, int count) {
      return items.subList(Math.max(0, items.size() - count), items.size());
    }
  }
}
