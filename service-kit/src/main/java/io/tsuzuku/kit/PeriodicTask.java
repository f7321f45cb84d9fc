package io.tsuzuku.kit;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A pass that a service runs on one thread of its own, every {@code interval} while the
 * application runs (the outbox relay, the retry dispatch, the billing run), and at once when
 * nudged. A pass that fails, even with an {@link Error}, is logged and tried again at the next
 * interval: the work it left is still in the store.
 */
public final class PeriodicTask implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

  private final String name;
  private final Duration interval;
  private final Runnable onStart;
  private final Runnable pass;
  private final Runnable onStop;
  private final AtomicBoolean nudged = new AtomicBoolean();
  private volatile ScheduledExecutorService executor;

  /**
   * @param onStart runs once before the first pass (for example a reconciliation); may be null
   * @param onStop runs once after the last pass (for example giving up a lease); may be null
   */
  public PeriodicTask(String name, Duration interval, Runnable onStart, Runnable pass, Runnable onStop) {
    this.name = name;
    this.interval = interval;
    this.onStart = onStart;
    this.pass = pass;
    this.onStop = onStop;
  }

  public PeriodicTask(String name, Duration interval, Runnable onStart, Runnable pass) {
    this(name, interval, onStart, pass, null);
  }

  public PeriodicTask(String name, Duration interval, Runnable pass) {
    this(name, interval, null, pass);
  }

  /** Runs a pass as soon as possible (at most one waits), without waiting for the interval. */
  public void nudge() {
    var running = executor;
    if (running != null && nudged.compareAndSet(false, true)) {
      running.execute(this::runPass);
    }
  }

  private void runPass() {
    nudged.set(false);
    run(pass, "pass");
  }

  private void run(Runnable work, String what) {
    try {
      work.run();
    } catch (RuntimeException e) {
      log.warn("{} {} failed, trying again in {} reason='{}'", name, what, interval, e.getMessage());
    } catch (Error e) { // a scheduled executor would drop the schedule for good, without a word
      log.error("{} {} failed with an error, trying again in {}", name, what, interval, e);
    }
  }

  @Override
  public synchronized void start() {
    executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, name));
    if (onStart != null) {
      executor.execute(() -> run(onStart, "start"));
    }
    executor.scheduleWithFixedDelay(this::runPass, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    var running = executor;
    if (running == null) {
      return;
    }
    executor = null;
    running.shutdown();
    try {
      running.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (onStop != null) {
      run(onStop, "stop");
    }
  }

  @Override
  public boolean isRunning() {
    return executor != null;
  }
}
