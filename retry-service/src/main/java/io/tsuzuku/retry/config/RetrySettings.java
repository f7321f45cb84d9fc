package io.tsuzuku.retry.config;

import io.tsuzuku.retry.domain.RetryPolicies;
import io.tsuzuku.retry.domain.RetryPolicy;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

/**
 * The retry service's configuration ({@code tsuzuku.retry.*}): the business zone, how often due
 * jobs are looked for, how long a claim holds, the default policy ({@link RetryPolicy#DEFAULT}
 * unless configured) and each organisation's own.
 */
public record RetrySettings(
    ZoneId zone, Duration pollInterval, Duration lease, RetryPolicy policy, Map<String, RetryPolicy> organisations) {

  public RetrySettings {
    policy = policy == null ? RetryPolicy.DEFAULT : policy;
    organisations = organisations == null ? Map.of() : Map.copyOf(organisations);
  }

  public RetryPolicies policies() {
    return new RetryPolicies(policy, organisations);
  }
}
