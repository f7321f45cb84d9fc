package io.tsuzuku.retry.domain;

import java.util.Map;

/** The retry policy of every organisation: one default, and the organisations that override it. */
public record RetryPolicies(RetryPolicy defaults, Map<String, RetryPolicy> byOrganisation) {

  public RetryPolicies {
    byOrganisation = Map.copyOf(byOrganisation);
  }

  public RetryPolicy forOrganisation(String orgId) {
    return byOrganisation.getOrDefault(orgId, defaults);
  }
}
