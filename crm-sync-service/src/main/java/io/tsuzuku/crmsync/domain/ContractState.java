package io.tsuzuku.crmsync.domain;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The latest state of one contract, as far as Salesforce cares. {@code version} is the
 * status-service's monotonic version: a state with a lower version than one already kept is
 * stale.
 *
 * @param lastRepaymentRequestOn the day of the last re-payment request sent to the supporter (null: none)
 * @param repaymentRequestsSent how many were sent for the contract
 * @param cardUpdatedAt when the supporter last gave a new card for the contract (null: never)
 */
public record ContractState(
    String orgId,
    String contractId,
    long version,
    Status status,
    Instant errorSince,
    String lastFailureCode,
    Instant nextRetryAt,
    LocalDate lastRepaymentRequestOn,
    int repaymentRequestsSent,
    Instant cardUpdatedAt) {

  /** A state without re-payment requests or a new card. */
  public ContractState(String orgId, String contractId, long version, Status status, Instant errorSince, String lastFailureCode,
      Instant nextRetryAt) {
    this(orgId, contractId, version, status, errorSince, lastFailureCode, nextRetryAt, null, 0, null);
  }
}
