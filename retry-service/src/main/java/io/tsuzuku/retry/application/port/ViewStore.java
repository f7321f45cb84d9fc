package io.tsuzuku.retry.application.port;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.retry.domain.ContractView;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The retry service's view of each contract, written with a revision guard. */
public interface ViewStore {

  Optional<ContractView> find(String contractId);

  /** The views of these contracts that exist, by contract id (a store reads them at once). */
  default Map<String, ContractView> findAll(Collection<String> contractIds) {
    var found = new HashMap<String, ContractView>();
    contractIds.forEach(id -> find(id).ifPresent(view -> found.put(id, view)));
    return found;
  }

  /**
   * Saves the view and the messages its change caused in one write, if the stored revision is
   * still {@code view.revision()} (0: new); false otherwise, and nothing is saved.
   */
  boolean save(ContractView view, List<OutboxMessage> messages);
}
