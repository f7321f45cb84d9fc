package io.tsuzuku.retry.application.port;

import io.tsuzuku.retry.domain.ContractView;
import java.util.Optional;

/** The retry service's view of each contract, written with a revision guard. */
public interface ViewStore {

  Optional<ContractView> find(String contractId);

  /** Saves if the stored revision is still {@code view.revision()} (0: new); false otherwise. */
  boolean save(ContractView view);
}
