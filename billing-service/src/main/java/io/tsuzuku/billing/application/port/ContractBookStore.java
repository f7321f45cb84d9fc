package io.tsuzuku.billing.application.port;

import io.tsuzuku.billing.domain.BilledContract;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** The contract book: what billing charges, on which card, when. */
public interface ContractBookStore {

  Optional<BilledContract> find(String contractId);

  /** Inserts or replaces the contract. */
  void save(BilledContract contract);

  /** Up to {@code limit} ACTIVE contracts due on {@code day}, with ids after {@code afterId}, in id order. */
  List<BilledContract> dueOn(LocalDate day, String afterId, int limit);
}
