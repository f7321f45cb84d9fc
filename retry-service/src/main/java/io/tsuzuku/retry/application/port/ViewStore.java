package io.tsuzuku.retry.application.port;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.retry.domain.ContractView;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

  /** A view and the messages its change caused, for {@link #saveAll}. */
  record Saving(ContractView view, List<OutboxMessage> messages) {}

  /**
   * Saves each as {@link #save} does, together; returns the ids of the contracts whose view is not
   * known to be saved (another writer came first to one of them): read them again and plan again.
   */
  default Set<String> saveAll(List<Saving> views) {
    var unsaved = new HashSet<String>();
    views.stream().filter(v -> !save(v.view(), v.messages())).forEach(v -> unsaved.add(v.view().contractId()));
    return unsaved;
  }
}
