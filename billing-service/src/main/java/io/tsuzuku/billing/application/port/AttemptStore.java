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

  /** Attempts left PENDING (by a crash or an unknown answer), to reconcile. */
  List<Attempt> pending();
}
