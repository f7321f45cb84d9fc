package io.tsuzuku.billing.application.port;

import io.tsuzuku.billing.application.Attempt;

/** Publishes an attempt's outcome (PaymentSucceeded or PaymentFailed); waits for the broker. */
@FunctionalInterface
public interface OutcomePublisher {
  void publish(Attempt finished);
}
