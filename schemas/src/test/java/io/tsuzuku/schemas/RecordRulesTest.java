package io.tsuzuku.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.events.BillingInterval;
import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentMethodChangeRequested;
import io.tsuzuku.events.PaymentMethodUpdated;
import io.tsuzuku.events.RepaymentSubmitted;
import io.tsuzuku.events.Supporter;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class RecordRulesTest {

  private static final LocalDate FIRST_CHARGE = LocalDate.of(2030, 2, 1);

  @Test
  void aRegistrationAsTheFormsWriteItKeepsEveryRule() {
    assertThat(RecordRules.problems(registration().build())).isEmpty();
    RecordRules.check(registration().build());
  }

  @Test
  void anAnchorDayThatNoMonthHasIsUnprocessableWithItsReason() {
    for (var day : new int[] {0, 32, -1}) {
      assertThatThrownBy(() -> RecordRules.check(registration().setAnchorDay(day).build()))
          .isInstanceOf(UnprocessableRecordException.class)
          .hasMessageContaining("ContractRegistered for contract c-1")
          .hasMessageContaining("anchorDay " + day + " is not a day of a month");
    }
  }

  @Test
  void everyRuleARegistrationBreaksIsNamed() {
    var impossible = registration()
        .setHeader(header().setEventId(" ").setOccurredAt(Instant.parse("1970-01-01T00:00:00Z")).build())
        .setAmountYen(0).setInterval(BillingInterval.UNKNOWN).setFirstChargeOn(LocalDate.of(1, 1, 1))
        .setCohort(Cohort.LEGACY).setAppliedOn(LocalDate.of(2024, 1, 1)).setPaymentMethodToken("tok\n").build();

    assertThat(RecordRules.problems(impossible)).containsExactly(
        "header.eventId is blank",
        "header.occurredAt 1970-01-01T00:00:00Z is not an instant from 2000-01-01T00:00:00Z to 2200-01-01T00:00:00Z",
        "amountYen 0 is not an amount from 1 to 99999999 yen",
        "interval UNKNOWN is not a symbol this reader knows",
        "firstChargeOn 0001-01-01 is not a date from 2000-01-01 to 2199-12-31",
        "a LEGACY contract applied on 2024-01-01, after the legacy platform's last day 2023-05-11",
        "paymentMethodToken contains a control character");
  }

  @Test
  void aRepaymentOfANegativeAmountOrForAnImpossiblePeriodIsUnprocessable() {
    var repayment = RepaymentSubmitted.newBuilder().setHeader(header().build()).setPeriod(LocalDate.of(1970, 1, 1))
        .setAmountYen(-3000).setPaymentMethodToken(null).build();

    assertThat(RecordRules.problems(repayment)).containsExactly(
        "period 1970-01-01 is not a date from 2000-01-01 to 2199-12-31",
        "amountYen -3000 is not an amount from 1 to 99999999 yen");
  }

  @Test
  void aCardUpdateWithoutItsTokenWithAnUnsealedOneOrPassedOnFromNoContractIsUnprocessable() {
    var blank = PaymentMethodUpdated.newBuilder().setHeader(header().build()).setPaymentMethodToken(" ").build();
    var plain = PaymentMethodUpdated.newBuilder().setHeader(header().build()).setPaymentMethodToken("tok_visa").build();
    var change = PaymentMethodChangeRequested.newBuilder().setHeader(header().build()).setUpdatedFrom("")
        .setPaymentMethodToken("sealed.v1.key.ephemeral.value").build();

    assertThat(RecordRules.problems(blank)).containsExactly("paymentMethodToken is blank");
    assertThat(RecordRules.problems(plain)).containsExactly("paymentMethodToken is not a sealed value");
    assertThat(RecordRules.problems(change)).containsExactly("updatedFrom is blank");
  }

  @Test
  void anOutcomeOfTheScheduledChargeIsAttemptZeroAndAnUnknownKindIsUnprocessable() {
    var failed = PaymentFailed.newBuilder().setHeader(header().build()).setAttemptId("c-1:2030-02-01:SCHEDULED:0")
        .setKind(ChargeKind.SCHEDULED).setAttemptNumber(0).setPeriod(FIRST_CHARGE).setAmountYen(3000)
        .setFailureCode("insufficient_funds").setFailureClass(FailureClass.SOFT_DECLINE).build();
    assertThat(RecordRules.problems(failed)).isEmpty();

    failed.setKind(ChargeKind.UNKNOWN);
    failed.setAttemptNumber(-1);
    assertThat(RecordRules.problems(failed)).containsExactly(
        "kind UNKNOWN is not a symbol this reader knows", "attemptNumber -1 is negative");
  }

  @Test
  void anIdLongerThanThePlatformStoresIsUnprocessable() {
    var longId = "c".repeat(RecordRules.MAX_CONTRACT_ID_LENGTH + 1);
    assertThat(RecordRules.problems(registration().setHeader(header().setContractId(longId).build()).build()))
        .containsExactly("header.contractId is longer than 160 characters");
  }

  /** A registration that passes yields attempt ids that pass too: its own outcomes are never set aside. */
  @Test
  void theLongestContractIdAcceptedStillMakesAttemptIdsThatPass() {
    var longest = "c".repeat(RecordRules.MAX_CONTRACT_ID_LENGTH);
    assertThat(RecordRules.problems(registration().setHeader(header().setContractId(longest).build()).build())).isEmpty();
    var attemptId = AttemptIds.of(longest, FIRST_CHARGE, ChargeKind.SUPPORTER_REPAYMENT.name(), 999);
    var failed = PaymentFailed.newBuilder().setHeader(header().setContractId(longest).build()).setAttemptId(attemptId)
        .setKind(ChargeKind.SUPPORTER_REPAYMENT).setAttemptNumber(999).setPeriod(FIRST_CHARGE).setAmountYen(3000)
        .setFailureCode("insufficient_funds").setFailureClass(FailureClass.SOFT_DECLINE).build();
    assertThat(RecordRules.problems(failed)).isEmpty();
  }

  private static ContractRegistered.Builder registration() {
    return ContractRegistered.newBuilder()
        .setHeader(header().build())
        .setSupporter(Supporter.newBuilder().setSupporterId("s-1").setName("山田 花子").setEmail("hanako@example.org").build())
        .setAmountYen(3000).setInterval(BillingInterval.MONTHLY).setAnchorDay(31)
        .setFirstChargeOn(FIRST_CHARGE).setAppliedOn(LocalDate.of(2030, 1, 10))
        .setCohort(Cohort.CURRENT).setPaymentMethodToken("tok_visa");
  }

  private static EventHeader.Builder header() {
    return EventHeader.newBuilder().setEventId("e-1").setOrgId("org-1").setContractId("c-1")
        .setOccurredAt(Instant.parse("2030-01-10T00:00:00Z"));
  }

  @Test
  void aValueOpenedFromASealedFieldKeepsTheRuleOfAnIdAndTheSealedFieldTravelsLonger() {
    assertThat(RecordRules.requireId("paymentMethodToken", "tok_visa")).isEqualTo("tok_visa");
    assertThatThrownBy(() -> RecordRules.requireId("paymentMethodToken", "tok\u0000visa"))
        .isInstanceOf(UnprocessableRecordException.class).hasMessage("paymentMethodToken contains a control character");
    assertThatThrownBy(() -> RecordRules.requireId("paymentMethodToken", "t".repeat(RecordRules.MAX_ID_LENGTH + 1)))
        .isInstanceOf(UnprocessableRecordException.class).hasMessage("paymentMethodToken is longer than 200 characters");
    assertThat(RecordRules.problems(registration().setPaymentMethodToken("s".repeat(SealedFields.MAX_LENGTH)).build())).isEmpty();
    assertThat(RecordRules.problems(registration().setPaymentMethodToken("s".repeat(SealedFields.MAX_LENGTH + 1)).build()))
        .containsExactly("paymentMethodToken is longer than 1024 characters");
  }
}
