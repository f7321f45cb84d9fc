package io.tsuzuku.kit.outbox;

/** Publishes one message and returns once the broker acknowledged it; throws when it did not. */
@FunctionalInterface
public interface MessagePublisher {
  void publish(OutboxMessage message);
}
