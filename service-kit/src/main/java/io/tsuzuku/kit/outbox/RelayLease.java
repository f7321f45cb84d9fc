package io.tsuzuku.kit.outbox;

import java.time.Instant;

/**
 * Which instance of a service relays its outbox: one at a time, so that the messages of a
 * document go out in the order they were written, and an instance working through an old batch
 * never publishes an older snapshot after another instance published a newer one.
 */
@FunctionalInterface
public interface RelayLease {

  /** Takes or renews the relay for {@code owner} until {@code until}; false while another owner holds it. */
  boolean hold(String owner, Instant now, Instant until);

  /** Gives the relay up at once, if {@code owner} holds it: another instance need not wait for its end. */
  default void release(String owner) {}
}
