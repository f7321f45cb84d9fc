package io.tsuzuku.status.domain;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The next attempt the retry scheduler has planned.
 *
 * @param number the retry's number for its period (1: the first after the scheduled charge)
 * @param period the period it charges; null in documents written before it was kept
 */
public record NextRetry(ChargeKind kind, int number, LocalDate period, Instant at) {

  /**
   * Whether this retry is still ahead after the attempt {@code failed}: a later retry of the same
   * period, which the scheduler planned because of that failure (its event may come first).
   */
  boolean isAfter(Attempt failed) {
    var ranBefore = switch (failed.kind()) {
      case SCHEDULED -> 0;
      case AUTO_RETRY -> failed.number();
      default -> Integer.MAX_VALUE;
    };
    return kind == ChargeKind.AUTO_RETRY && failed.period().equals(period) && number > ranBefore;
  }
}
