package io.tsuzuku.billing.domain;

import java.util.Set;

/**
 * Card networks' decline codes (as Stripe names them) sorted by what they mean for the retry path:
 * the card will not work again, the processor failed, or the card may work later.
 */
public final class DeclineCodes {

  private static final Set<String> HARD =
      Set.of("expired_card", "lost_card", "stolen_card", "pickup_card", "restricted_card", "card_not_supported",
          "incorrect_number", "invalid_account", "new_account_information_available", "revocation_of_authorization");
  private static final Set<String> PROCESSOR =
      Set.of("processing_error", "issuer_not_available", "try_again_later", "reenter_transaction", "api_error");

  private DeclineCodes() {}

  public static FailureClass classify(String code) {
    if (code != null && HARD.contains(code)) {
      return FailureClass.HARD_DECLINE;
    }
    if (code != null && PROCESSOR.contains(code)) {
      return FailureClass.PROCESSOR_ERROR;
    }
    return FailureClass.SOFT_DECLINE; // insufficient_funds, card_velocity_exceeded, generic_decline, do_not_honor, …
  }
}
