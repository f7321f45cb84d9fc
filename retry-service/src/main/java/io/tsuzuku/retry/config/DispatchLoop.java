package io.tsuzuku.retry.config;

import io.tsuzuku.retry.application.DueJobs;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Looks for due jobs every poll interval, as this instance ({@code owner}). A failed pass (the
 * broker or the store unreachable) leaves the claimed job to be claimed again when its lease ends.
 */
public final class DispatchLoop implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DispatchLoop.class);

  private final DueJobs dueJobs;
  private final Duration interval;
  private final String owner;
  private ScheduledExecutorService executor;

  DispatchLoop(DueJobs dueJobs, Duration interval, String owner) {
    this.dueJobs = dueJobs;
    this.interval = interval;
    this.owner = owner;
  }

  public String owner() {
    return owner;
  }

  private void pass() {
    try {
      dueJobs.runDue(owner);
    } catch (RuntimeException e) {
      log.warn("dispatch pass failed, retrying in {} owner='{}' reason='{}'", interval, owner, e.getMessage());
    }
  }

  @Override
  public synchronized void start() {
    executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "retry-dispatch"));
    executor.scheduleWithFixedDelay(this::pass, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
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
