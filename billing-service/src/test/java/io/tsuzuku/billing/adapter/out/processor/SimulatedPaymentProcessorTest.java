package io.tsuzuku.billing.adapter.out.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.billing.application.port.PaymentProcessor.Charge;
import io.tsuzuku.billing.application.port.PaymentProcessor.Result;
import io.tsuzuku.testkit.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SimulatedPaymentProcessorTest {

  private static final Instant CLAIMED = Instant.parse("2030-03-23T14:59:59Z");

  /**
   * A late answer is due a minute after the ledger claimed the attempt, however long the instance
   * took to send it: a busy thread that reaches the processor after the clock moved on does not
   * push the answer later.
   */
  @Test
  void aLateAnswerIsDueAMinuteAfterTheClaimNotAfterTheCallArrived() {
    var clock = new MovableClock(CLAIMED);
    var processor = new SimulatedPaymentProcessor(clock, ZoneId.of("Asia/Tokyo"), Duration.ZERO);
    var charge = new Charge("c-1:2030-02-24:SUPPORTER_REPAYMENT:1", "tok_answers_late", 3000, "tsuzuku c-1", false, CLAIMED);

    clock.set(CLAIMED.plusSeconds(30)); // the claim was written; the call comes half a minute later
    assertThat(processor.charge(charge)).isInstanceOf(Result.Unknown.class);
    clock.set(CLAIMED.plus(SimulatedPaymentProcessor.LATE_ANSWER).minusMillis(1));
    assertThat(processor.lookup(charge)).isInstanceOf(Result.Unknown.class);
    clock.set(CLAIMED.plus(SimulatedPaymentProcessor.LATE_ANSWER).plusSeconds(1));
    assertThat(processor.lookup(charge)).isInstanceOf(Result.Succeeded.class);
  }
}
