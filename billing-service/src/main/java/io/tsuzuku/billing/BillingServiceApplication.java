package io.tsuzuku.billing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Scheduled charges and charge attempts through the payment-processor port; the only writer of payment-outcomes. */
@SpringBootApplication
public class BillingServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(BillingServiceApplication.class, args);
  }
}
