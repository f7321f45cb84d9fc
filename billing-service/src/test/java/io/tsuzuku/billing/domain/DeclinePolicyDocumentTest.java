package io.tsuzuku.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.testkit.GeneratedDocs;
import org.junit.jupiter.api.Test;

/** docs/retry-policy.md shows the decline table billing really classifies by. */
class DeclinePolicyDocumentTest {

  static String render() {
    var out = new StringBuilder("| decline code | class | after it | why |\n|---|---|---|---|\n");
    for (var row : DeclinePolicy.declineCodes()) {
      out.append(line(row));
    }
    out.append("| any other code | SOFT_DECLINE | ").append(rule(FailureClass.SOFT_DECLINE)).append(" | |\n")
        .append("\n| advice code (Stripe) | class | after it | why |\n|---|---|---|---|\n");
    for (var row : DeclinePolicy.adviceCodes()) {
      out.append(line(row));
    }
    return out.toString();
  }

  private static String line(DeclinePolicy.Row row) {
    var failureClass = row.failureClass() == null ? "the decline code's" : row.failureClass().name();
    var rule = row.failureClass() == null ? "the decline code's rule" : rule(row.failureClass());
    return "| `" + row.code() + "` | " + failureClass + " | " + rule + " | " + row.meaning() + " |\n";
  }

  private static String rule(FailureClass failureClass) {
    return io.tsuzuku.schemas.DeclineRules.requiresNewCard(failureClass.name())
        ? "no charge on this card, by any path, until the supporter gives a new one"
        : "the retry schedule";
  }

  @Test
  void theDocumentedDeclineTableIsTheOneBillingClassifiesBy() {
    GeneratedDocs.assertUpToDate("retry-policy.md", DeclinePolicyDocumentTest.class, render());
  }

  @Test
  void anAdviceNotToRetryOutranksTheDeclineCodeAndAnUnknownCodeIsSoft() {
    assertThat(DeclinePolicy.classify("generic_decline", "do_not_try_again")).isEqualTo(FailureClass.HARD_DECLINE);
    assertThat(DeclinePolicy.classify("insufficient_funds", "try_again_later")).isEqualTo(FailureClass.SOFT_DECLINE);
    assertThat(DeclinePolicy.classify("expired_card", "try_again_later")).isEqualTo(FailureClass.HARD_DECLINE);
    assertThat(DeclinePolicy.classify("a_code_from_next_year", null)).isEqualTo(FailureClass.SOFT_DECLINE);
    assertThat(DeclinePolicy.classify("stop_payment_order")).isEqualTo(FailureClass.HARD_DECLINE);
  }

  /** A request of ours the processor rejects (a parameter, an amount) is no reason to give a supporter's card up. */
  @Test
  void onlyAMissingPaymentMethodAmongInvalidRequestsNeedsANewCard() {
    assertThat(DeclinePolicy.classifyInvalidRequest("resource_missing")).isEqualTo(FailureClass.HARD_DECLINE);
    assertThat(DeclinePolicy.classifyInvalidRequest("parameter_invalid_integer")).isEqualTo(FailureClass.PROCESSOR_ERROR);
    assertThat(DeclinePolicy.classifyInvalidRequest("amount_too_small")).isEqualTo(FailureClass.PROCESSOR_ERROR);
    assertThat(DeclinePolicy.classifyInvalidRequest(null)).isEqualTo(FailureClass.PROCESSOR_ERROR);
  }
}
