package io.tsuzuku.retry.application.port;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.retry.domain.ContractView;
import java.util.List;
import java.util.Optional;

/** The retry service's view of each contract, written with a revision guard. */
public interface ViewStore {

  Optional<ContractView> find(String contractId);

  /**
   * Saves the view and the messages its change caused in one write, if the stored revision is
   * still {@code view.revision()} (0: new); false otherwise, and nothing is saved.
   */
  boolean save(ContractView view, List<OutboxMessage> messages);
}
