package io.tsuzuku.billing.application.port;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Which billing days have run, and who runs a day now: a lease that the running instance renews
 * after every batch, so that another instance resumes a crashed run where it stopped.
 */
public interface BillingRunLog {

  /** Where a claimed run resumes: after the contract id {@code afterId} (null: from the start). */
  record Resume(String afterId) {}

  /**
   * Takes the run of {@code day} for {@code owner} until {@code now + lease}: a day not started, one
   * whose lease ran out, or one {@code owner} holds already. Empty when the day is done or another
   * instance holds it.
   */
  Optional<Resume> claim(LocalDate day, String owner, Instant now, Duration lease);

  /** Records progress and extends the lease; false when {@code owner} lost it (it must stop). */
  boolean renew(LocalDate day, String owner, String afterId, Instant now, Duration lease);

  /** The day's run is complete. */
  void finish(LocalDate day, String owner);
}
