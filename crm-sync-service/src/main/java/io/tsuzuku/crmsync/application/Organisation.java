package io.tsuzuku.crmsync.application;

import io.tsuzuku.crmsync.domain.ApiUsage;
import io.tsuzuku.crmsync.domain.MappingMode;
import io.tsuzuku.crmsync.domain.SalesforceMapping;
import java.time.Instant;

/**
 * An organisation's Salesforce integration: how to reach its org, how contracts map onto its
 * records, and how its sync is doing. {@code revision} grows with every change of the settings.
 */
public record Organisation(String orgId, Connection connection, SalesforceMapping mapping, long revision, SyncState state) {

  /**
   * The org's My Domain URL (the client credentials flow logs in there, and the REST API answers
   * there) and the connected app's consumer key and secret.
   */
  public record Connection(String loginUrl, String clientId, String clientSecret) {}

  /**
   * @param failures failed calls in a row (the back-off grows with them)
   * @param pausedUntil no call before this time after a failure
   * @param nextCallAt no call before this time near the daily API limit
   */
  public record SyncState(
      int failures,
      Instant pausedUntil,
      String lastError,
      Instant lastErrorAt,
      ApiUsage usage,
      Instant lastCallAt,
      Instant nextCallAt,
      Reconfiguration reconfiguration) {

    public static final SyncState NEW = new SyncState(0, null, null, null, null, null, null, null);

    /** The pause after Salesforce refused the settings themselves: it ends when the settings are saved again. */
    public static final Instant UNTIL_SETTINGS_CHANGE = Instant.parse("9999-12-31T00:00:00Z");

    /** Whether the sync waits for the administrator to change the settings. */
    public boolean waitingForSettings() {
      return UNTIL_SETTINGS_CHANGE.equals(pausedUntil);
    }

    /** Whether the organisation must wait before its next call. */
    public boolean waiting(Instant now) {
      return (pausedUntil != null && now.isBefore(pausedUntil)) || (nextCallAt != null && now.isBefore(nextCallAt));
    }
  }

  /**
   * A change of the mapping being rolled out: every contract is compared once with what was last
   * written (scanned up to {@code cursor}); those whose record changes ({@code marked}) are sent
   * again.
   */
  public record Reconfiguration(
      long revision, MappingMode from, MappingMode to, Instant startedAt, String cursor, long scanned, long marked, boolean scanFinished) {

    public static Reconfiguration start(long revision, MappingMode from, MappingMode to, Instant at) {
      return new Reconfiguration(revision, from, to, at, "", 0, 0, false);
    }
  }
}
