package io.tsuzuku.status.config;

import io.tsuzuku.status.application.OutboxRelay;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the outbox relay on one thread: at a fixed interval, and at once when a use case saved
 * messages. A failed pass (the broker is down) leaves the messages in place for the next one.
 */
final class RelayLoop implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RelayLoop.class);

  private final OutboxRelay relay;
  private final Duration interval;
  private final AtomicBoolean nudged = new AtomicBoolean();
  private ScheduledExecutorService executor;

  RelayLoop(OutboxRelay relay, Duration interval) {
    this.relay = relay;
    this.interval = interval;
  }

  void nudge() {
    var running = executor;
    if (running != null && nudged.compareAndSet(false, true)) {
      running.execute(this::pass);
    }
  }

  private void pass() {
    nudged.set(false);
    try {
      relay.relayPending();
    } catch (RuntimeException e) {
      log.warn("outbox relay pass failed, retrying in {} reason='{}'", interval, e.getMessage());
    }
  }

  @Override
  public synchronized void start() {
    executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "outbox-relay"));
    executor.scheduleWithFixedDelay(this::pass, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdown();
      try {
        executor.awaitTermination(10, TimeUnit.SECONDS);
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
