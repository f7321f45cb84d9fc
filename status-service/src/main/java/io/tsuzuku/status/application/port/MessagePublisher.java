package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.OutboxMessage;

/** Publishes one message and returns once the broker acknowledged it; throws when it did not. */
@FunctionalInterface
public interface MessagePublisher {
  void publish(OutboxMessage message);
}
