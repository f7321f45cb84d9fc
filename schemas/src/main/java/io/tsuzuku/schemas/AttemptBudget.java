package io.tsuzuku.schemas;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

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

  /**
   * Whether an attempt made at {@code attemptAt} counts toward the window that ends at {@code end}:
   * it does when it is after the window's start. One stamped after {@code end} counts too: it was
   * stamped by a clock ahead of this one, and the networks have seen it.
   */
  public static boolean inWindow(Instant attemptAt, Instant end) {
    return attemptAt.isAfter(end.minus(WINDOW));
  }

  /** How many of the attempts made at {@code attempts} count toward the window that ends at {@code end}. */
  public static long count(Collection<Instant> attempts, Instant end) {
    return attempts.stream().filter(at -> inWindow(at, end)).count();
  }

  /** Whether one more attempt is allowed at {@code end} after the attempts made at {@code attempts}. */
  public static boolean allowsAnother(Collection<Instant> attempts, Instant end) {
    return count(attempts, end) < MAX_ATTEMPTS;
  }
}
