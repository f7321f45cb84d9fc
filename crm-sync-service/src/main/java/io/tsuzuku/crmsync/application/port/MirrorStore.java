package io.tsuzuku.crmsync.application.port;

import io.tsuzuku.kit.BatchFailedAt;
import io.tsuzuku.crmsync.application.MirroredContract;
import io.tsuzuku.crmsync.domain.ContractState;
import io.tsuzuku.crmsync.domain.Rejection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The contracts' latest states and what Salesforce shows of them, one entry per contract. */
public interface MirrorStore {

  /**
   * Keeps {@code state} as the contract's latest and marks it to be written, unless a state of
   * the same or a higher version is kept already (a redelivery or a stale record).
   *
   * @param traceParent the trace the state came in (null: none), which its Salesforce write joins
   * @return whether the state was kept
   * @throws io.tsuzuku.kit.ForeignOrganisationException when the contract is kept for another
   *     organisation than the state names: nothing changes
   */
  boolean keepLatest(ContractState state, String traceParent, Instant now);

  /** A state and the trace it came in (null: none), for {@link #keepAllLatest}. */
  record Incoming(ContractState state, String traceParent) {}

  /**
   * Keeps each state as {@link #keepLatest} does, in their order, a poll's together (a store reads
   * and writes them in a round trip or two); returns for each whether it was kept.
   *
   * @throws BatchFailedAt naming the first state whose contract is kept for another organisation,
   *     once every state before it is kept
   */
  default List<Boolean> keepAllLatest(List<Incoming> states, Instant now) {
    var kept = new ArrayList<Boolean>();
    for (var incoming : states) {
      try {
        kept.add(keepLatest(incoming.state(), incoming.traceParent(), now));
      } catch (RuntimeException e) {
        throw new BatchFailedAt(kept.size(), e);
      }
    }
    return kept;
  }

  /** Contracts of the organisation to be written now, the longest waiting first. */
  List<MirroredContract> due(String orgId, Instant now, int limit);

  /**
   * Records what Salesforce now shows, for a batch at once; a contract stays pending if a newer
   * state came meanwhile.
   */
  void markSynced(List<Written> written);

  /** Salesforce shows {@code fields} for the contract's state {@code version} since {@code at}. */
  record Written(String contractId, long version, Map<String, Object> fields, Instant at) {}

  /** Keeps the rejection and sends the contract again at {@code retryAt}. */
  void markRejected(String contractId, long version, Rejection rejection, Instant rejectedAt, Instant retryAt);

  /** The organisation's contracts in id order after {@code afterContractId} ("" for the first page). */
  List<MirroredContract> page(String orgId, String afterContractId, int limit);

  /** Marks contracts to be written again now, for {@code reason}. */
  void markForResend(Collection<String> contractIds, Instant now, String reason);

  /** Rejected contracts in id order after {@code afterContractId}. */
  List<MirroredContract> rejected(String orgId, String afterContractId, int limit);

  /** Makes rejected contracts due now (all of the organisation's when {@code contractIds} is empty); returns how many. */
  int resendRejected(String orgId, Collection<String> contractIds, Instant now);

  Optional<MirroredContract> find(String orgId, String contractId);

  /** How many contracts wait to be written, how many of them were rejected, and how many for {@code reason}. */
  Backlog backlog(String orgId, String reason);

  record Backlog(long pending, long rejected, long pendingFor) {}
}
