package io.tsuzuku.systemtests.model;

import io.tsuzuku.crmsync.application.MirroredContract;
import io.tsuzuku.crmsync.application.port.MirrorStore;
import io.tsuzuku.crmsync.domain.ContractState;
import io.tsuzuku.crmsync.domain.Rejection;
import io.tsuzuku.kit.ForeignOrganisationException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The crm-sync-service's mirror in memory, as far as the model reads it: the latest state of each
 * contract, kept as the MongoDB adapter keeps it (a newer version only, never another
 * organisation's). What Salesforce shows is the sync's business, tested on its own.
 */
final class ModelMirror implements MirrorStore {

  final Map<String, ContractState> latest = new HashMap<>();

  @Override
  public boolean keepLatest(ContractState state, String traceParent, Instant now) {
    var kept = latest.get(state.contractId());
    if (kept != null && !kept.orgId().equals(state.orgId())) {
      throw new ForeignOrganisationException(state.contractId(), kept.orgId(), state.orgId());
    }
    if (kept != null && kept.version() >= state.version()) {
      return false;
    }
    latest.put(state.contractId(), state);
    return true;
  }

  @Override
  public List<MirroredContract> due(String orgId, Instant now, int limit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void markSynced(List<Written> written) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void markRejected(String contractId, long version, Rejection rejection, Instant rejectedAt, Instant retryAt) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<MirroredContract> page(String orgId, String afterContractId, int limit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void markForResend(Collection<String> contractIds, Instant now, String reason) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<MirroredContract> rejected(String orgId, String afterContractId, int limit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int resendRejected(String orgId, Collection<String> contractIds, Instant now) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<MirroredContract> find(String orgId, String contractId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Backlog backlog(String orgId, String reason) {
    throw new UnsupportedOperationException();
  }
}
