package io.tsuzuku.crmsync.application.port;

import io.tsuzuku.crmsync.application.Organisation;
import io.tsuzuku.crmsync.domain.ApiUsage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The organisations' integrations. Each update touches one organisation's document atomically;
 * a sync pass holds the organisation's lease, so one instance at a time writes its records, in
 * order.
 */
public interface OrganisationStore {

  Optional<Organisation> find(String orgId);

  List<String> organisationIds();

  /**
   * Saves new settings (connection, mapping, the reconfiguration they start) if the organisation
   * is still at {@code expectedRevision} (0: not configured yet).
   *
   * @return false when another change came first
   */
  boolean save(Organisation organisation, long expectedRevision);

  /** Takes or renews the organisation's sync lease, unless another owner holds it. */
  boolean claim(String orgId, String owner, Instant now, Instant until);

  void release(String orgId, String owner);

  /** A call completed: the failures are over, {@code nextCallAt} spaces calls near the daily limit. */
  void recordCall(String orgId, ApiUsage usage, Instant at, Instant nextCallAt);

  /** A call failed: no call before {@code until}. */
  void pause(String orgId, int failures, Instant until, String reason, Instant at);

  /**
   * Progress of the reconfiguration of {@code revision}.
   *
   * @return false, and nothing saved, when a newer change of the settings came meanwhile
   */
  boolean reconfigurationProgress(String orgId, long revision, String cursor, long scanned, long marked, boolean scanFinished);
}
