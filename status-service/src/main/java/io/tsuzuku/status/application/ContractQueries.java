package io.tsuzuku.status.application;

import io.tsuzuku.status.application.port.ContractStore;
import io.tsuzuku.status.application.port.HistoryReader;
import io.tsuzuku.status.domain.Contract;
import java.util.List;
import java.util.Optional;

/**
 * What administrators read. A contract of another organisation is not found, exactly like a
 * contract that does not exist (docs/admin-api.md).
 */
public final class ContractQueries {

  /** A contract with its history, oldest line first. */
  public record ContractDetails(Contract contract, List<HistoryEntry> history) {}

  private final ContractStore store;
  private final HistoryReader history;

  public ContractQueries(ContractStore store, HistoryReader history) {
    this.store = store;
    this.history = history;
  }

  public Optional<ContractDetails> find(String orgId, String contractId) {
    return store.load(contractId)
        .map(StoredContract::contract)
        .filter(contract -> contract.orgId().equals(orgId))
        .map(contract -> new ContractDetails(contract, history.historyOf(contractId)));
  }
}
