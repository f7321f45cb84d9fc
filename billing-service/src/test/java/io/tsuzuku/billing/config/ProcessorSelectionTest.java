package io.tsuzuku.billing.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.domain.FailureClass;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Billing fails closed: no processor unless one is named, and no fake success for the legacy cohort. */
class ProcessorSelectionTest {

  private final BillingServiceConfiguration configuration = new BillingServiceConfiguration();

  @Test
  void aServiceStartedWithoutANamedProcessorRefusesToStart() {
    assertThatThrownBy(() -> processors("", ""))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PAYMENT_PROCESSOR");
    assertThatThrownBy(() -> processors("stripe", ""))
        .as("stripe without its key").hasMessageContaining("STRIPE_API_KEY");
  }

  @Test
  void legacyChargesAreRefusedWhenNoLegacyProcessorIsConfiguredNeverFaked() {
    var processor = processors("simulator", "");

    var legacy = processor.charge(new PaymentProcessor.Charge("c-1:2027-03-01:SUPPORTER_REPAYMENT:1", "tok_ok", 3000, "d", true, java.time.Instant.EPOCH));
    var current = processor.charge(new PaymentProcessor.Charge("c-2:2027-03-01:SCHEDULED:0", "tok_ok", 3000, "d", false, java.time.Instant.EPOCH));

    assertThat(legacy).isInstanceOfSatisfying(PaymentProcessor.Result.Declined.class, d -> {
      assertThat(d.code()).isEqualTo("processor_not_configured");
      assertThat(d.failureClass()).isEqualTo(FailureClass.REFUSED);
    });
    assertThat(current).isInstanceOf(PaymentProcessor.Result.Succeeded.class);
  }

  private PaymentProcessor processors(String current, String legacy) {
    return configuration.paymentProcessor(Clock.systemUTC(), ZoneId.of("Asia/Tokyo"), Duration.ZERO, current, legacy, "",
        "https://api.stripe.com", new org.springframework.beans.factory.support.StaticListableBeanFactory()
            .getBeanProvider(io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor.Shared.class));
  }
}
