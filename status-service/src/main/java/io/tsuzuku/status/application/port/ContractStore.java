package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.StoredContract;
import java.util.Optional;

/**
 * Where contracts live. One document per contract holds the state, the ids of the events applied
 * recently and the messages still to publish, so that one atomic write saves all three.
 */
public interface ContractStore {

  Optional<StoredContract> load(String contractId);

  /**
   * Writes {@code contract} if the stored revision is still {@code stored.revision()} (0: the
   * contract does not exist yet). False when another writer came first: load again and retry.
   */
  boolean save(StoredContract contract);
}
