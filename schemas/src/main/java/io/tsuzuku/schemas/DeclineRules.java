package io.tsuzuku.schemas;

/**
 * What a decline's {@code FailureClass} means for the next charge on the same card, the one rule
 * every service follows (docs/retry-policy.md, "Declines"): after a {@code HARD_DECLINE} (the card
 * expired, was lost or stolen, its holder revoked the mandate or stopped payments, the issuer said
 * not to try again) the card is never charged again, by any path (automatic retry, manual retry, a
 * re-payment with the same card), until the supporter gives a new one. Card networks fine
 * merchants who retry such cards. Billing classifies the processor's codes (its decline table);
 * the others act on the class that {@code PaymentFailed} carries.
 */
public final class DeclineRules {

  /**
   * Billing's refusal (a {@code PaymentFailed} of class REFUSED) of a charge on a card whose last
   * decline needs a new one.
   */
  public static final String NEW_CARD_REQUIRED = "new_card_required";

  private DeclineRules() {}

  /** Whether a card whose last charge was declined with {@code failureClass} (a symbol) needs replacing first. */
  public static boolean requiresNewCard(String failureClass) {
    return "HARD_DECLINE".equals(failureClass);
  }
}
