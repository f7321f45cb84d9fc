package io.tsuzuku.schemas;

import java.time.Duration;

/**
 * The card networks' rule on reattempts: no more than {@link #MAX_ATTEMPTS} failed attempts on a
 * card in any {@link #WINDOW}. Billing, which knows the card, counts them per card
 * across every contract it pays for, with the attempts at the processor, and refuses an attempt
 * beyond it ({@code PaymentFailed} of class REFUSED, code {@code attempt_budget_exceeded}); the
 * status-service, which does not know the card, refuses up front a manual retry beyond it counting
 * every attempt of the contract, and leaves to billing the budget a card's other contracts spent.
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
