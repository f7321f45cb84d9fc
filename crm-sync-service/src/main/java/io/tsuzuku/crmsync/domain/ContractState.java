package io.tsuzuku.crmsync.domain;

import java.time.Instant;

/**
 * The latest state of one contract, as far as Salesforce cares. {@code version} is the
 * status-service's monotonic version: a state with a lower version than one already kept is
 * stale.
 */
public record ContractState(
    String orgId,
    String contractId,
    long version,
    Status status,
    Instant errorSince,
    String lastFailureCode,
    Instant nextRetryAt) {}
