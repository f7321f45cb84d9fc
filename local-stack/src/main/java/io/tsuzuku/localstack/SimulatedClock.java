package io.tsuzuku.localstack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Time that stands at {@code start} until {@link #run()}, then runs {@code speed} times faster
 * than the machine's: the demo's clock (a day per second is 86,400). Every service reads it, so
 * charges, retries and deadlines happen in minutes instead of months, and starting the system
 * takes no simulated time.
 */
public final class SimulatedClock extends Clock {

  private final Instant start;
  private final long speed;
  private final Clock real;
  private volatile Instant realStart;

  public SimulatedClock(Instant start, long speed, Clock real) {
    this.start = start;
    this.speed = speed;
    this.real = real;
  }

  /** Time starts to run. */
  public void run() {
    realStart = real.instant();
  }

  @Override
  public Instant instant() {
    var running = realStart;
    return running == null ? start : start.plus(Duration.between(running, real.instant()).multipliedBy(speed));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return Clock.fixed(instant(), zone);
  }
}
