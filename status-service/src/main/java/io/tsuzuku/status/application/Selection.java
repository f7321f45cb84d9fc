package io.tsuzuku.status.application;

import java.util.List;

/** The contracts a bulk request is about: listed by id, or all that match a filter. */
public sealed interface Selection {

  record Ids(List<String> contractIds) implements Selection {
    public Ids {
      contractIds = List.copyOf(contractIds);
    }
  }

  record Matching(ContractFilter filter) implements Selection {}

  /**
   * The contracts a filter matched when its request first ran, remembered with its idempotency
   * key: a repeat of the request acts on exactly these, whatever matches the filter now.
   */
  record Resolved(List<String> contractIds) implements Selection {
    public Resolved {
      contractIds = List.copyOf(contractIds);
    }
  }
}
