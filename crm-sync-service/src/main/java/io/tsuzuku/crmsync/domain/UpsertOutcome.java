package io.tsuzuku.crmsync.domain;

import java.util.List;

/**
 * How a batch upsert ended. Only {@link Completed} has per-record results; the others mean
 * nothing of the batch was written and the organisation waits before its next call.
 */
public sealed interface UpsertOutcome {

  /** Salesforce answered for every record (each saved or rejected); usage is empty without the header. */
  record Completed(List<RecordResult> results, ApiUsage usage) implements UpsertOutcome {}

  /** 403 REQUEST_LIMIT_EXCEEDED: the org's daily API limit is reached. */
  record RequestLimitExceeded(String detail) implements UpsertOutcome {}

  /** 5xx, a timeout, a refused connection, a refused login, or a request the org refused as a whole. */
  record Unavailable(String detail) implements UpsertOutcome {}
}
