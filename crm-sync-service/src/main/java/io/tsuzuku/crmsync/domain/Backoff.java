package io.tsuzuku.crmsync.domain;

import java.time.Duration;

/** A delay that starts at {@code first}, multiplies by {@code factor} after each failure, up to {@code max}. */
public record Backoff(Duration first, int factor, Duration max) {

  /** The delay after the {@code failures}-th failure in a row (1 for the first). */
  public Duration after(int failures) {
    var delay = first;
    for (int i = 1; i < failures && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(factor);
    }
    return delay.compareTo(max) > 0 ? max : delay;
  }
}
