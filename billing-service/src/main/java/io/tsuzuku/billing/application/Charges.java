package io.tsuzuku.billing.application;

import io.tsuzuku.billing.application.port.BillingRunLog;
import io.tsuzuku.billing.application.port.LedgerStore;
import io.tsuzuku.billing.domain.Attempt;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.schemas.AttemptIds;
import io.tsuzuku.billing.domain.ChargeKind;
import io.tsuzuku.billing.domain.Cohort;
import io.tsuzuku.schemas.UnprocessableRecordException;
import io.tsuzuku.billing.domain.Ledger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three ways a charge starts (docs/ledger.md): the daily billing run, a retry the retry service
 * requests, and a supporter's re-payment. Each is a request to {@link ChargeAttempts}, which the
 * ledger claims or refuses. And the end of a legacy contract's wait for a re-payment, which the
 * ledger decides.
 */
public final class Charges {

  private static final Logger log = LoggerFactory.getLogger(Charges.class);
  private static final int BATCH = 500;
  /**
   * How far another system's clock may run ahead of billing's: for the retry-service's deadline
   * timer's record to be tried again, for a card update's time to be taken as true.
   */
  static final Duration TIMER_AHEAD = Duration.ofHours(1);

  private final ChargeAttempts attempts;
  private final LedgerUpdates ledger;
  private final LedgerStore store;
  private final BillingRunLog runs;
  private final Clock clock;
  private final Clock leaseClock;
  private final ZoneId zone;
  private final LocalTime runAt;
  private final Duration lease;
  private final ExecutorService workers;

  /**
   * @param clock the business clock, which makes a day's run due
   * @param leaseClock the machine's clock, which ends a run's lease (a simulated business clock may
   *     run a day a second)
   * @param runAt the time of day (in {@code zone}) of the daily billing run
   * @param lease how long a run stays with its instance without a heartbeat; the run renews it
   *     after every batch and, while a batch's charges are at the processor, every third of it
   * @param workers charges of a run go through this pool: its size bounds the concurrency
   */
  public Charges(ChargeAttempts attempts, LedgerUpdates ledger, LedgerStore store, BillingRunLog runs, Clock clock,
      Clock leaseClock, ZoneId zone, LocalTime runAt, Duration lease, ExecutorService workers) {
    this.attempts = attempts;
    this.ledger = ledger;
    this.store = store;
    this.runs = runs;
    this.clock = clock;
    this.leaseClock = leaseClock;
    this.zone = zone;
    this.runAt = runAt;
    this.lease = lease;
    this.workers = workers;
  }

  /**
   * Runs (or resumes) today's billing for {@code owner} if its time has come and no other instance
   * holds it. After downtime this runs once, for today: contracts due on the missed days are due
   * today too, and are charged once.
   */
  public int runIfDue(String owner) {
    var now = clock.instant().atZone(zone);
    var day = now.toLocalDate();
    if (now.toLocalTime().isBefore(runAt)) {
      return 0;
    }
    var claim = runs.claim(day, owner, leaseClock.instant(), lease);
    if (claim.isEmpty()) {
      return 0;
    }
    int charged = 0;
    var afterId = claim.get().afterId();
    for (var batch = store.dueOn(day, afterId, BATCH); !batch.isEmpty(); batch = store.dueOn(day, afterId, BATCH)) {
      var resumeAfter = afterId;
      var heartbeat = new Heartbeat(() -> runs.renew(day, owner, resumeAfter, leaseClock.instant(), lease));
      var running = new ArrayList<Future<?>>();
      for (var contract : batch) {
        running.add(workers.submit(() -> {
          scheduled(contract, day);
          heartbeat.beat();
        }));
      }
      awaitAll(running, heartbeat);
      charged += batch.size();
      afterId = batch.get(batch.size() - 1).contractId();
      if (!heartbeat.held() || !runs.renew(day, owner, afterId, leaseClock.instant(), lease)) {
        log.warn("billing run lease lost day={} owner='{}'", day, owner);
        return charged;
      }
    }
    runs.finish(day, owner);
    log.info("billing run day={} contracts={}", day, charged);
    return charged;
  }

  /** The scheduled charge of the period due on {@code day}, decided first on the contract as the run read it. */
  Attempt scheduled(BilledContract read, LocalDate day) {
    return attempts.charge(read, contract -> {
      var period = contract.periodDueOn(day);
      return new Ledger.Request(AttemptIds.of(contract.contractId(), period, ChargeKind.SCHEDULED.name(), 0),
          ChargeKind.SCHEDULED, 0, period, null);
    });
  }

  /** A retry the retry service requested, under its attempt id. */
  public Attempt retryRequested(String attemptId, String contractId, String orgId, ChargeKind kind, int number,
      LocalDate period, String eventId) {
    return attempts.charge(contractId, orgId, contract -> new Ledger.Request(attemptId, kind, number, period, eventId));
  }

  /**
   * The supporter re-pays the outstanding period, possibly with a new card, which replaces the one
   * on file with the re-payment's claim (a refused re-payment changes nothing).
   */
  public Attempt repaymentSubmitted(String eventId, String contractId, String orgId, LocalDate period, String newToken) {
    return repaymentSubmitted(eventId, contractId, orgId, period, newToken, null);
  }

  /**
   * The same, through a re-payment link (docs/ledger.md, "Re-payment links"): {@code link} is what
   * its token says once checked (null inside: no key of the status-service signed it); the ledger
   * charges only the contract and period it names, once, before it expires, and refuses any other.
   */
  public Attempt repaymentSubmitted(String eventId, String contractId, String orgId, LocalDate period, String newToken,
      Ledger.LinkPresented link) {
    return attempts.charge(contractId, orgId, contract -> Ledger.repayment(contract, period, eventId, newToken, link));
  }

  /**
   * A supporter's new card, given at {@code givenAt}, for this contract of theirs (docs/ledger.md,
   * "A new card for every contract"): it becomes the card on file, and the outstanding period, if
   * any, is charged with it once, as a re-payment caused by this change; the change delivered again
   * finds that attempt and charges nothing more. A card given before the one on file changes and
   * charges nothing, and so does a card already charged for the period (the supporter's re-payment
   * brought it too). While another attempt is at the processor the re-payment waits for its answer
   * ({@link Ledger#owedRepayment}, made by {@link ChargeAttempts} once that attempt failed).
   *
   * @return the change's re-payment attempt, made now or before; empty when it makes none (nothing
   *     outstanding, the contract cancelled or holding a card given later, the card tried already)
   * @throws UnprocessableRecordException for a card given more than {@link #TIMER_AHEAD} ahead of
   *     billing's time: kept, it would hold off every card the supporter gives after it
   */
  public Optional<Attempt> cardUpdated(String eventId, String contractId, String orgId, String newToken, Instant givenAt) {
    if (givenAt.isAfter(clock.instant().plus(TIMER_AHEAD))) {
      throw new UnprocessableRecordException("a card of contract " + contractId + " given at " + givenAt
          + " is more than " + TIMER_AHEAD + " ahead of billing's time " + clock.instant() + ": it cannot be true");
    }
    var contract = ledger.update(contractId,
        stored -> Ledger.cardReplaced(LedgerUpdates.registered(stored, contractId, orgId), newToken, givenAt, eventId)).next();
    var made = contract.attemptCausedBy(eventId);
    if (made.isPresent() || contract.isCancelled() || contract.outstandingPeriod() == null
        || !Ledger.holdsCard(contract, newToken, givenAt) || Ledger.cardTriedFor(contract, contract.outstandingPeriod())) {
      return made;
    }
    return Optional.of(repaymentSubmitted(eventId, contractId, orgId, contract.outstandingPeriod(), null));
  }

  /**
   * The re-payment deadline of a legacy contract's unpaid {@code period} is due: the ledger decides
   * whether the contract lapses ({@link Ledger#repaymentDeadlineDue}). A timer's record seconds
   * ahead of billing's date is tried again; one more than {@link #TIMER_AHEAD} ahead cannot be
   * true and is set aside with its reason, so it never holds up the records behind it.
   *
   * @throws UnprocessableRecordException when the deadline is further ahead than that
   */
  public void repaymentDeadlineDue(String contractId, String orgId, LocalDate period) {
    ledger.update(contractId, stored -> {
      var contract = LedgerUpdates.registered(stored, contractId, orgId);
      var now = clock.instant();
      var due = contract.calendar().legacyCancellationDay(period).atStartOfDay(zone).toInstant();
      if (contract.cohort() == Cohort.LEGACY && period.equals(contract.outstandingPeriod()) && now.plus(TIMER_AHEAD).isBefore(due)) {
        throw new UnprocessableRecordException("the re-payment deadline of " + contractId + " for " + period
            + " is not due before " + due + ": a timer's record " + Duration.between(now, due) + " early cannot be true");
      }
      return Ledger.repaymentDeadlineDue(contract, period, now, zone);
    });
  }

  /**
   * Renews a run's lease while its batch is at the processor: after a charge ends, or while the
   * run waits, once a third of the lease has passed since the last renewal, so that a slow
   * processor does not hand the day to another instance.
   */
  private final class Heartbeat {
    private final BooleanSupplier renew;
    private Instant renewed = leaseClock.instant();
    private boolean held = true;

    Heartbeat(BooleanSupplier renew) {
      this.renew = renew;
    }

    synchronized void beat() {
      if (held && !leaseClock.instant().isBefore(renewed.plus(lease.dividedBy(3)))) {
        held = renew.getAsBoolean();
        renewed = leaseClock.instant();
      }
    }

    /** False once a renewal found the lease lost: the run must stop after this batch. */
    synchronized boolean held() {
      return held;
    }
  }

  /**
   * Waits for every charge of the batch, even when one failed: a run never moves on, nor gives its
   * day up, while a charge of it is still at the processor; the heartbeat beats meanwhile.
   */
  private void awaitAll(List<Future<?>> running, Heartbeat heartbeat) {
    RuntimeException failure = null;
    for (var future : running) {
      for (var done = false; !done; heartbeat.beat()) {
        try {
          future.get(Math.max(1, lease.dividedBy(3).toMillis()), TimeUnit.MILLISECONDS);
          done = true;
        } catch (TimeoutException e) {
          // still at the processor
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("the billing run was interrupted", e);
        } catch (ExecutionException e) {
          done = true;
          if (failure == null) {
            failure = new IllegalStateException("a charge of the billing run failed", e.getCause());
          }
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
