package io.tsuzuku.billing.application;

import io.tsuzuku.billing.application.port.AttemptStore;
import io.tsuzuku.billing.application.port.BillingRunLog;
import io.tsuzuku.billing.application.port.ContractBookStore;
import io.tsuzuku.billing.domain.AttemptId;
import io.tsuzuku.billing.domain.ChargeKind;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three ways a charge starts (SPEC.md §3): the daily billing run, a retry the retry service
 * requests, and a supporter's re-payment. Each becomes an attempt of {@link ChargeAttempts}, and
 * its outcome moves the contract's next charge date in the {@link ContractBook}.
 */
public final class Charges {

  private static final Logger log = LoggerFactory.getLogger(Charges.class);
  private static final int BATCH = 500;

  private final ChargeAttempts attempts;
  private final ContractBook book;
  private final ContractBookStore bookStore;
  private final AttemptStore attemptStore;
  private final BillingRunLog runs;
  private final Clock clock;
  private final ZoneId zone;
  private final LocalTime runAt;
  private final ExecutorService workers;

  /**
   * @param runAt the time of day (in {@code zone}) of the daily billing run
   * @param workers charges of a run go through this pool: its size bounds the concurrency
   */
  public Charges(ChargeAttempts attempts, ContractBook book, ContractBookStore bookStore, AttemptStore attemptStore,
      BillingRunLog runs, Clock clock, ZoneId zone, LocalTime runAt, ExecutorService workers) {
    this.attempts = attempts;
    this.book = book;
    this.bookStore = bookStore;
    this.attemptStore = attemptStore;
    this.runs = runs;
    this.clock = clock;
    this.zone = zone;
    this.runAt = runAt;
    this.workers = workers;
  }

  /**
   * Runs today's billing if its time has come and no instance ran it yet. After downtime this runs
   * once, for today: contracts due on the missed days are due today too, and are charged once.
   */
  public int runIfDue() {
    var now = clock.instant().atZone(zone);
    if (now.toLocalTime().isBefore(runAt) || !runs.claim(now.toLocalDate())) {
      return 0;
    }
    try {
      var charged = run(now.toLocalDate());
      log.info("billing run day={} contracts={}", now.toLocalDate(), charged);
      return charged;
    } catch (RuntimeException e) {
      runs.release(now.toLocalDate());
      throw e;
    }
  }

  /** Charges every ACTIVE contract due on {@code today}, in batches, with bounded concurrency. */
  public int run(LocalDate today) {
    int charged = 0;
    String afterId = null;
    for (var batch = bookStore.dueOn(today, null, BATCH); !batch.isEmpty(); batch = bookStore.dueOn(today, afterId, BATCH)) {
      var running = new ArrayList<Future<?>>();
      for (var contract : batch) {
        var period = contract.periodDueOn(today);
        var command = new ChargeAttempts.Command(
            AttemptId.of(contract.contractId(), period, ChargeKind.SCHEDULED, 0), contract, ChargeKind.SCHEDULED, 0, period, null);
        running.add(workers.submit(() -> chargeAndRecord(command)));
      }
      for (var future : running) {
        await(future);
      }
      charged += batch.size();
      afterId = batch.get(batch.size() - 1).contractId();
    }
    return charged;
  }

  /** A retry the retry service requested, under its attempt id. */
  public void retryRequested(String attemptId, String contractId, ChargeKind kind, int number, LocalDate period, String eventId) {
    var contract = book.find(contractId).orElseThrow(() -> new UnknownContractException(contractId));
    chargeAndRecord(new ChargeAttempts.Command(attemptId, contract, kind, number, period, eventId));
  }

  /** The supporter re-pays the outstanding period, possibly with a new card that replaces the stored one. */
  public void repaymentSubmitted(String eventId, String contractId, LocalDate period, String newToken) {
    var known = attemptStore.findByCause(eventId);
    if (known.isPresent()) {
      retryKnown(known.get());
      return;
    }
    if (newToken != null) {
      book.paymentMethodReplaced(contractId, newToken);
    }
    var contract = book.find(contractId).orElseThrow(() -> new UnknownContractException(contractId));
    var number = attemptStore.countOf(contractId, period, ChargeKind.SUPPORTER_REPAYMENT) + 1;
    chargeAndRecord(new ChargeAttempts.Command(
        AttemptId.of(contractId, period, ChargeKind.SUPPORTER_REPAYMENT, number), contract, ChargeKind.SUPPORTER_REPAYMENT,
        number, period, eventId));
  }

  private void retryKnown(Attempt attempt) {
    var contract = book.find(attempt.contractId()).orElseThrow(() -> new UnknownContractException(attempt.contractId()));
    chargeAndRecord(new ChargeAttempts.Command(
        attempt.attemptId(), contract, attempt.kind(), attempt.number(), attempt.period(), attempt.causeEventId()));
  }

  private void chargeAndRecord(ChargeAttempts.Command command) {
    book.attemptFinished(attempts.charge(command));
  }

  private static void await(Future<?> future) {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the billing run was interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof OutcomeUnknownException unknown) {
        // left PENDING for reconciliation: the run goes on with the other contracts
        log.warn("charge outcome unknown, left for reconciliation reason='{}'", unknown.getMessage());
        return;
      }
      throw new IllegalStateException("a charge of the billing run failed", e.getCause());
    }
  }
}
