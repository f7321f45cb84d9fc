package io.tsuzuku.schemas;

import java.time.Duration;

/**
 * The card networks' rule on charge attempts, which every system that asks for or makes a charge
 * keeps: no more than {@link #MAX_ATTEMPTS} attempts for a contract in any {@link #WINDOW}.
 * Billing refuses an attempt beyond it ({@code PaymentFailed} of class REFUSED, code
 * {@code attempt_budget_exceeded}); the status-service refuses to order a manual retry beyond it.
 */
public final class AttemptBudget {

  public static final int MAX_ATTEMPTS = 15;

  public static final Duration WINDOW = Duration.ofDays(30);

  private AttemptBudget() {}

  /** Whether one more attempt is allowed after {@code attemptsInWindow} in the window up to it. */
  public static boolean allowsAnother(long attemptsInWindow) {
    return attemptsInWindow < MAX_ATTEMPTS;
  }
}
