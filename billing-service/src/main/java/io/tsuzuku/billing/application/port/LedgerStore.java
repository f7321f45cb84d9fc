package io.tsuzuku.billing.application.port;

import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.kit.outbox.OutboxMessage;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ledger: one document per contract holding its state, its attempt in flight, its recent
 * attempts and the messages still to publish, so that one atomic write saves all of them.
 */
public interface LedgerStore {

  Optional<BilledContract> find(String contractId);

  /**
   * Writes {@code next} if the stored revision is still {@code next.revision()} (0: not stored yet)
   * and appends {@code messages} to its outbox, in one write. False when another writer came first:
   * read again and decide again.
   */
  boolean save(BilledContract next, List<OutboxMessage> messages);

  /** The stored ones of these contracts, by id, read together. */
  Map<String, BilledContract> findAll(Collection<String> contractIds);

  /**
   * Saves each change as {@link #save} does, together; returns the ids of the contracts whose
   * change is not known to be saved (another writer came first to one of them): read them again
   * and decide again.
   */
  Set<String> saveAll(List<Saving> changes);

  /** A contract's next state and the messages its change caused, for {@link #saveAll}. */
  record Saving(BilledContract next, List<OutboxMessage> messages) {}

  /** Up to {@code limit} contracts due for a scheduled charge on {@code day}, ids after {@code afterId}, in id order. */
  List<BilledContract> dueOn(LocalDate day, String afterId, int limit);

  /** Contracts with an attempt at the processor (a bounded batch), to reconcile. */
  List<BilledContract> withAttemptInFlight();

  /** Up to {@code limit} contracts of the organisation with refunds due. */
  List<BilledContract> withRefundsDue(String orgId, int limit);
}
