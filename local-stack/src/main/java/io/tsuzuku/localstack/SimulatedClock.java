package io.tsuzuku.localstack;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The demo's clock: it stands still until it is moved, a day at a time ({@link Demo}). Every
 * service reads it, so charges, retries and deadlines happen in minutes instead of months, and
 * while it stands nothing new falls due: what a day brought is finished before the next begins.
 */
public final class SimulatedClock extends Clock {

  private volatile Instant now;

  public SimulatedClock(Instant start) {
    this.now = start;
  }

  /** Moves the time to {@code instant}; never back. */
  public void moveTo(Instant instant) {
    if (instant.isBefore(now)) {
      throw new IllegalArgumentException("the demo's time does not go back: " + instant + " is before " + now);
    }
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return Clock.fixed(now, zone);
  }
}
