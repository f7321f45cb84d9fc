package io.tsuzuku.billing.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.ChargeKind;
import io.tsuzuku.calendar.BillingCalendar;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The daily run and the supporter's re-payment, on in-memory stores and a fixed clock. */
class ChargesTest {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final LocalDate DAY = LocalDate.of(2027, 3, 1);
  private static final BillingCalendar MONTHLY_1ST = new BillingCalendar(BillingCalendar.Interval.MONTHLY, 1, 1);

  private final InMemoryBilling.Book book = new InMemoryBilling.Book();
  private final InMemoryBilling.Attempts attempts = new InMemoryBilling.Attempts();
  private final ArrayList<Attempt> published = new ArrayList<>();
  private final java.util.concurrent.ExecutorService workers = Executors.newFixedThreadPool(4);

  @AfterEach
  void stopWorkers() {
    workers.shutdownNow();
  }

  @Test
  void theRunChargesActiveDueContractsOnceADayAfterItsTime() {
    book.save(contract("c-due", "tok_ok", "ACTIVE", DAY));
    book.save(contract("c-error", "tok_ok", "ERROR", DAY));
    book.save(contract("c-later", "tok_ok", "ACTIVE", DAY.plusDays(1)));

    assertThat(charges(DAY.atTime(8, 59)).runIfDue()).as("before the run time").isZero();
    assertThat(charges(DAY.atTime(9, 0)).runIfDue()).isEqualTo(1);
    assertThat(charges(DAY.atTime(15, 0)).runIfDue()).as("once a day").isZero();

    assertThat(published).extracting(Attempt::contractId).containsExactly("c-due");
    assertThat(book.find("c-due").orElseThrow().nextChargeOn()).isEqualTo(DAY.plusMonths(1));
  }

  @Test
  void aRepaymentWithANewCardReplacesTheStoredOneRecoversTheContractAndActsOnceWhenRedelivered() {
    book.save(contract("c-1", "tok_decline_expired_card", "ERROR", null));
    var charges = charges(DAY.plusDays(40).atTime(14, 0));

    charges.repaymentSubmitted("repay-1", "c-1", DAY, "tok_ok");
    charges.repaymentSubmitted("repay-1", "c-1", DAY, "tok_ok");

    assertThat(book.find("c-1").orElseThrow().paymentMethodToken()).isEqualTo("tok_ok");
    assertThat(attempts.byId.values()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(ChargeKind.SUPPORTER_REPAYMENT);
      assertThat(a.state()).isEqualTo(Attempt.State.SUCCEEDED);
    });
    assertThat(book.find("c-1").orElseThrow().nextChargeOn()).as("first anchor after the payment day").isEqualTo(LocalDate.of(2027, 5, 1));
    assertThat(published).hasSize(2).extracting(Attempt::attemptId).containsOnly(published.get(0).attemptId());
  }

  private Charges charges(java.time.LocalDateTime tokyoTime) {
    var clock = Clock.fixed(tokyoTime.atZone(TOKYO).toInstant(), ZoneOffset.UTC);
    var chargeAttempts = new ChargeAttempts(attempts, new SimulatedPaymentProcessor(clock, TOKYO, Duration.ZERO), published::add, clock);
    return new Charges(chargeAttempts, new ContractBook(book, TOKYO), book, attempts, book, clock, TOKYO, LocalTime.of(9, 0), workers);
  }

  private static BilledContract contract(String id, String token, String status, LocalDate next) {
    return new BilledContract(id, "org-1", BilledContract.Cohort.CURRENT, MONTHLY_1ST, 3000, token, status, next);
  }
}
