package io.tsuzuku.retry.domain;

import io.tsuzuku.schemas.DeclineRules;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;

/**
 * How a current-cohort contract is retried after its scheduled charge failed (docs/retry-policy.md): {@code
 * count} retries, {@code interval} apart, counted from the day of the failed scheduled charge, at
 * {@code timeOfDay} in the business zone. A decline that needs a new card is never retried
 * automatically, whatever the organisation's policy ({@link DeclineRules}).
 */
public record RetryPolicy(int count, Period interval, LocalTime timeOfDay) {

  public static final RetryPolicy DEFAULT = new RetryPolicy(3, Period.ofDays(7), LocalTime.of(10, 0));

  public RetryPolicy {
    if (count < 0) {
      throw new IllegalArgumentException("the retry count must not be negative");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the retry interval must be positive");
    }
  }

  /** When retry {@code number} (1-based) runs: the failure day + number × interval, at the time of day. */
  public Instant retryAt(LocalDate failureDay, int number, ZoneId zone) {
    return failureDay.plus(interval.multipliedBy(number)).atTime(timeOfDay).atZone(zone).toInstant();
  }

  /** What follows a failed automatic retry (or the failed scheduled charge, number 0). */
  public boolean hasRetryAfter(int number, FailureClass failureClass) {
    return !DeclineRules.requiresNewCard(failureClass.name()) && number < count;
  }
}
