package io.tsuzuku.status.application.port;

import io.tsuzuku.status.domain.Contract;
import java.util.List;

/** Finds a supporter's contracts in one organisation (a supporter gives a new card once for all of them). */
@FunctionalInterface
public interface SupporterContracts {

  /** Every contract of {@code supporterId} in {@code orgId}, in contract-id order. */
  List<Contract> of(String orgId, String supporterId);
}
