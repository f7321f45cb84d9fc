package io.tsuzuku.crmsync.application;

import io.tsuzuku.crmsync.domain.ContractState;
import io.tsuzuku.crmsync.domain.Rejection;
import java.time.Instant;
import java.util.Map;

/**
 * What the service keeps per contract: its latest state, what was last written to Salesforce
 * (fields and time), whether the latest state still has to be written, and the last rejection.
 *
 * @param pendingSince since when the contract waits to be written (a batch waits at most the
 *     linger for its oldest record)
 * @param dueAt the earliest time it may be sent (later than now after a rejection)
 * @param resendReason why a contract already written is sent again (a reconfiguration), or null
 * @param traceParent the trace the latest state came in, or null
 */
public record MirroredContract(
    ContractState state,
    Map<String, Object> writtenFields,
    Instant writtenAt,
    boolean pending,
    Instant pendingSince,
    Instant dueAt,
    Rejection rejection,
    int rejections,
    Instant rejectedAt,
    String resendReason,
    String traceParent) {

  public String contractId() {
    return state.contractId();
  }
}
