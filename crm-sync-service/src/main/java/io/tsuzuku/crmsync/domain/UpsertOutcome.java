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

  /** 5xx, a timeout, a refused connection or a refused login: it may pass by itself. */
  record Unavailable(String detail) implements UpsertOutcome {}

  /**
   * Salesforce refused the request as a whole for what the settings say (a field or object the
   * org lacks, a login URL that is not the org's My Domain): it will not pass until the settings
   * change. {@code code} is Salesforce's error code (or tsuzuku's, for a URL refused before any
   * call), {@code detail} its message and the fields it names.
   */
  record Misconfigured(String code, String detail) implements UpsertOutcome {}
}
