package io.tsuzuku.billing.config;

import io.tsuzuku.billing.application.ChargeAttempts;
import io.tsuzuku.billing.application.Charges;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * At start, reconciles the attempts a crash left PENDING; then, every poll interval, runs the day's
 * billing once its time has come (and only once per day, whichever instance gets there first).
 */
public final class BillingLoop implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(BillingLoop.class);

  private final Charges charges;
  private final ChargeAttempts attempts;
  private final Duration interval;
  private ScheduledExecutorService executor;

  BillingLoop(Charges charges, ChargeAttempts attempts, Duration interval) {
    this.charges = charges;
    this.attempts = attempts;
    this.interval = interval;
  }

  private void reconcile() {
    try {
      var reconciled = attempts.reconcilePending();
      if (reconciled > 0) {
        log.info("reconciled pending charge attempts count={}", reconciled);
      }
    } catch (RuntimeException e) {
      log.warn("reconciliation failed, retried at the next start reason='{}'", e.getMessage());
    }
  }

  private void tick() {
    try {
      var charged = charges.runIfDue();
      if (charged > 0) {
        log.info("billing run charged contracts={}", charged);
      }
    } catch (RuntimeException e) {
      log.warn("billing run failed, retrying in {} reason='{}'", interval, e.getMessage());
    }
  }

  @Override
  public synchronized void start() {
    executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "billing-run"));
    executor.execute(this::reconcile);
    executor.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdown();
      try {
        executor.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      executor = null;
    }
  }

  @Override
  public boolean isRunning() {
    return executor != null;
  }
}
