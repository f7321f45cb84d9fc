package io.tsuzuku.crmsync.config;

import io.tsuzuku.crmsync.domain.SyncPolicy;
import java.time.Duration;

/**
 * {@code tsuzuku.crm-sync.*}: the batch size and linger of {@link SyncPolicy} (its back-offs and
 * slow-down steps are the policy's data), how often the sync looks for work, the key that encrypts
 * the client secrets, and the Salesforce client's API version, timeout, token lifetime and login
 * URLs allowed besides Salesforce's own.
 */
public record CrmSyncSettings(
    Integer batchSize, Duration linger, Duration pollInterval, Duration lease, String secretsKey,
    java.util.List<String> previousSecretsKeys, Salesforce salesforce) {

  /**
   * A batch is sent after its lease is renewed and must have its answer before the lease can run
   * out, or another instance could write newer values that this call's older ones then overwrite.
   */
  public CrmSyncSettings {
    if (lease != null && salesforce != null && salesforce.timeout() != null
        && lease.compareTo(salesforce.timeout().multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("tsuzuku.crm-sync.lease (" + lease + ") must be at least twice "
          + "tsuzuku.crm-sync.salesforce.timeout (" + salesforce.timeout() + ")");
    }
  }

  /** @param allowedLoginUrls login URLs allowed besides Salesforce's own domains */
  public record Salesforce(String apiVersion, Duration timeout, Duration tokenLifetime, java.util.List<String> allowedLoginUrls) {}

  public SyncPolicy policy() {
    var policy = SyncPolicy.DEFAULT;
    if (batchSize != null) {
      policy = policy.withBatchSize(batchSize);
    }
    return linger == null ? policy : policy.withLinger(linger);
  }
}
