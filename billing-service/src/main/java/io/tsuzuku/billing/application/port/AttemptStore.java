package io.tsuzuku.billing.application.port;

import io.tsuzuku.billing.application.Attempt;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Charge attempts, recorded before the processor is called and completed after it answered. */
public interface AttemptStore {

  Optional<Attempt> find(String attemptId);

  /** Records a new attempt; false when one with its id exists already. */
  boolean recordNew(Attempt attempt);

  /** Replaces a PENDING attempt with its outcome. */
  void complete(Attempt attempt);

  /** When the contract's charge attempts since {@code since} were made; refusals charged nothing and do not count. */
  List<Instant> attemptTimes(String contractId, Instant since);

  /** The attempt an event caused, if any (a re-payment delivered twice). */
  Optional<Attempt> findByCause(String causeEventId);

  /** How many attempts of this kind were made for the contract's period. */
  int countOf(String contractId, java.time.LocalDate period, io.tsuzuku.billing.domain.ChargeKind kind);

  /** Attempts left PENDING (by a crash or an unknown answer), to reconcile. */
  List<Attempt> pending();
}
