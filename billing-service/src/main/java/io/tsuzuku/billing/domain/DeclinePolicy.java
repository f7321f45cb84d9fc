package io.tsuzuku.billing.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decline table: the card networks' decline codes and the processor's advice codes (as Stripe
 * names them) mapped to what they mean for the card (docs/retry-policy.md, "Declines", rendered
 * from this table). A {@link FailureClass#HARD_DECLINE} needs a new card before the card is
 * charged again ({@code DeclineRules} in the event contract); a soft decline or a processor error
 * follows the retry schedule. An advice code that says not to retry (or to get new card data)
 * outranks the decline code; a code the table does not know is a soft decline.
 */
public final class DeclinePolicy {

  /** Decline codes, each with the class it means and why. */
  static final Map<String, Row> DECLINE_CODES = table(
      row("do_not_try_again", FailureClass.HARD_DECLINE, "the issuer says never to retry"),
      row("revocation_of_all_authorizations", FailureClass.HARD_DECLINE, "the holder revoked every recurring mandate"),
      row("revocation_of_authorization", FailureClass.HARD_DECLINE, "the holder revoked this merchant's mandate"),
      row("stop_payment_order", FailureClass.HARD_DECLINE, "the holder stopped the payments"),
      row("fraudulent", FailureClass.HARD_DECLINE, "the issuer suspects fraud"),
      row("merchant_blacklist", FailureClass.HARD_DECLINE, "the issuer blocks this merchant"),
      row("lost_card", FailureClass.HARD_DECLINE, "the card was reported lost"),
      row("stolen_card", FailureClass.HARD_DECLINE, "the card was reported stolen"),
      row("pickup_card", FailureClass.HARD_DECLINE, "the issuer wants the card back"),
      row("expired_card", FailureClass.HARD_DECLINE, "the card expired"),
      row("incorrect_number", FailureClass.HARD_DECLINE, "the card number is wrong"),
      row("invalid_number", FailureClass.HARD_DECLINE, "the card number is wrong"),
      row("invalid_account", FailureClass.HARD_DECLINE, "the card's account is closed or invalid"),
      row("new_account_information_available", FailureClass.HARD_DECLINE, "the card was replaced"),
      row("restricted_card", FailureClass.HARD_DECLINE, "the card cannot be used for this payment"),
      row("card_not_supported", FailureClass.HARD_DECLINE, "the card does not support this payment"),
      row("authentication_required", FailureClass.HARD_DECLINE, "the holder must authenticate, which a recurring charge cannot"),
      row("resource_missing", FailureClass.HARD_DECLINE, "the payment method no longer exists at the processor"),
      row("processing_error", FailureClass.PROCESSOR_ERROR, "the processor failed"),
      row("issuer_not_available", FailureClass.PROCESSOR_ERROR, "the issuer could not be reached"),
      row("try_again_later", FailureClass.PROCESSOR_ERROR, "the issuer asks to retry later"),
      row("reenter_transaction", FailureClass.PROCESSOR_ERROR, "the issuer asks to retry"),
      row("api_error", FailureClass.PROCESSOR_ERROR, "the processor failed"),
      row("insufficient_funds", FailureClass.SOFT_DECLINE, "not enough money on the card now"),
      row("card_velocity_exceeded", FailureClass.SOFT_DECLINE, "the card's limit is reached for now"),
      row("do_not_honor", FailureClass.SOFT_DECLINE, "declined without a reason"),
      row("generic_decline", FailureClass.SOFT_DECLINE, "declined without a reason"),
      row("card_declined", FailureClass.SOFT_DECLINE, "declined without a reason"));

  /** Stripe's advice codes: what the issuer advises whatever the decline code. */
  static final Map<String, Row> ADVICE_CODES = table(
      row("do_not_try_again", FailureClass.HARD_DECLINE, "never retry this card"),
      row("confirm_card_data", FailureClass.HARD_DECLINE, "the card's data must be entered again"),
      row("try_again_later", null, "retry later: the decline code decides"));

  /** One row: a code, its class ({@code null}: the other code decides) and why. */
  public record Row(String code, FailureClass failureClass, String meaning) {}

  private DeclinePolicy() {}

  /** The class of a decline with {@code code} and, where the processor gave one, {@code adviceCode}. */
  public static FailureClass classify(String code, String adviceCode) {
    var advice = adviceCode == null ? null : ADVICE_CODES.get(adviceCode);
    if (advice != null && advice.failureClass() != null) {
      return advice.failureClass();
    }
    var row = code == null ? null : DECLINE_CODES.get(code);
    return row != null ? row.failureClass() : FailureClass.SOFT_DECLINE;
  }

  public static FailureClass classify(String code) {
    return classify(code, null);
  }

  /**
   * The class of a request the processor rejected as invalid: the payment method no longer
   * existing is the card's; any other (a parameter, an amount, a setting of ours) is no reason to
   * give the card up, and follows the schedule as the processor's error.
   */
  public static FailureClass classifyInvalidRequest(String code) {
    var row = code == null ? null : DECLINE_CODES.get(code);
    return row != null && row.failureClass() == FailureClass.HARD_DECLINE ? row.failureClass() : FailureClass.PROCESSOR_ERROR;
  }

  /** The decline codes, in the table's order. */
  public static Iterable<Row> declineCodes() {
    return DECLINE_CODES.values();
  }

  /** The advice codes, in the table's order. */
  public static Iterable<Row> adviceCodes() {
    return ADVICE_CODES.values();
  }

  private static Row row(String code, FailureClass failureClass, String meaning) {
    return new Row(code, failureClass, meaning);
  }

  private static Map<String, Row> table(Row... rows) {
    var table = new LinkedHashMap<String, Row>();
    for (var row : rows) {
      if (table.put(row.code(), row) != null) {
        throw new IllegalStateException("two rows for " + row.code());
      }
    }
    return java.util.Collections.unmodifiableMap(table);
  }
}
