package io.tsuzuku.billing.application.port;

import java.time.LocalDate;

/** Which billing days have run, so that each day runs once, on one instance. */
public interface BillingRunLog {
  /** Claims the run of {@code day}; false when it was claimed already. */
  boolean claim(LocalDate day);

  /** Gives the claim back after a run that failed, so that it runs again. */
  void release(LocalDate day);
}
