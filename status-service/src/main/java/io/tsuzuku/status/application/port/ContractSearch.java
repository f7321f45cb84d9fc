package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.ContractFilter;
import io.tsuzuku.status.domain.Contract;
import java.util.List;

/** Finds an organisation's contracts, in contract-id order, so a cursor stays stable. */
@FunctionalInterface
public interface ContractSearch {

  /**
   * Up to {@code limit} contracts matching the filter whose id comes after {@code afterId} (null:
   * from the start), in id order.
   */
  List<Contract> search(String orgId, ContractFilter filter, String afterId, int limit);
}
