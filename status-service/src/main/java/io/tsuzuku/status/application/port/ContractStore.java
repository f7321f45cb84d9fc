package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.StoredContract;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where contracts live. One document per contract holds the state, the ids of the events applied
 * recently and the messages still to publish, so that one atomic write saves all three.
 */
public interface ContractStore {

  Optional<StoredContract> load(String contractId);

  /** The registered ones of these contracts, by id, read together. */
  Map<String, StoredContract> loadAll(Collection<String> contractIds);

  /**
   * Writes {@code contract} if the stored revision is still {@code stored.revision()} (0: the
   * contract does not exist yet). False when another writer came first: load again and retry.
   */
  boolean save(StoredContract contract);

  /**
   * Writes these contracts together, each guarded by its revision as {@link #save} does (0: a new
   * contract); returns the ids of those another writer changed or registered first (not written).
   */
  Set<String> saveAll(List<StoredContract> contracts);
}
