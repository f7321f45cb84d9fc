package io.tsuzuku.crmsync.application.port;

import io.tsuzuku.crmsync.application.Organisation;
import io.tsuzuku.crmsync.domain.ConnectionCheck;
import io.tsuzuku.crmsync.domain.UpsertOutcome;
import java.util.List;
import java.util.Map;

/** Writes the organisation's records, and checks its connection. */
public interface SalesforceClient {

  UpsertOutcome upsert(Organisation organisation, List<OutgoingRecord> records);

  /**
   * Logs in as a sync call would and reads one record of the mapped object with the fields the
   * mapping writes (one API call); writes nothing.
   */
  ConnectionCheck check(Organisation organisation);

  /**
   * One contract's record: its external id (the contract id) and its fields; {@code traceParent}
   * the trace its write joins (null: none).
   */
  record OutgoingRecord(String contractId, Map<String, Object> fields, String traceParent) {}
}
