package io.tsuzuku.crmsync.application.port;

import io.tsuzuku.crmsync.application.Organisation;
import io.tsuzuku.crmsync.domain.UpsertOutcome;
import java.util.List;
import java.util.Map;

/** Upserts records by external id in one sObject Collections call ({@code allOrNone=false}). */
public interface SalesforceClient {

  UpsertOutcome upsert(Organisation organisation, List<OutgoingRecord> records);

  /**
   * One contract's record: its external id (the contract id) and its fields; {@code traceParent}
   * the trace its write joins (null: none).
   */
  record OutgoingRecord(String contractId, Map<String, Object> fields, String traceParent) {}
}
