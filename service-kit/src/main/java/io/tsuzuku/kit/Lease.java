package io.tsuzuku.kit;

import java.time.Instant;

/**
 * Work that one instance of a service does at a time: relaying an outbox (so that a document's
 * messages go out in the order they were written), a day's billing run, an organisation's
 * Salesforce sync. The holder renews it while it works; another instance takes it once it ran
 * out or was given up. A lease's times are the machine's, never a business clock that jumps.
 */
@FunctionalInterface
public interface Lease {

  /** Takes or renews the lease for {@code owner} until {@code until}; false while another owner holds it. */
  boolean hold(String owner, Instant now, Instant until);

  /** Gives the lease up at once, if {@code owner} holds it: another instance need not wait for its end. */
  default void release(String owner) {}
}
