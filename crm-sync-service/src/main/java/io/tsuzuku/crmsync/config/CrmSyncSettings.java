package io.tsuzuku.crmsync.config;

import io.tsuzuku.crmsync.domain.SyncPolicy;
import java.time.Duration;

/**
 * {@code tsuzuku.crm-sync.*}: the batch size and linger of {@link SyncPolicy} (its back-offs and
 * slow-down steps are the policy's data), how often the sync looks for work, and the Salesforce
 * client's API version, timeout and token lifetime.
 */
public record CrmSyncSettings(
    Integer batchSize, Duration linger, Duration pollInterval, Duration lease, Salesforce salesforce) {

  public record Salesforce(String apiVersion, Duration timeout, Duration tokenLifetime) {}

  public SyncPolicy policy() {
    var policy = SyncPolicy.DEFAULT;
    if (batchSize != null) {
      policy = policy.withBatchSize(batchSize);
    }
    return linger == null ? policy : policy.withLinger(linger);
  }
}
