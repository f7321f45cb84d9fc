package io.tsuzuku.crmsync.application;

import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.security.RequestRefused.Kind;
import io.tsuzuku.crmsync.application.port.MirrorStore;
import io.tsuzuku.crmsync.application.port.OrganisationStore;
import java.time.Clock;
import java.util.Collection;
import java.util.List;

/**
 * What an organisation's administrator does with the records Salesforce rejected: list them, look
 * one contract's record up, and send them again once the cause is fixed (the sync runs at once).
 */
public final class RejectedRecords {

  private final OrganisationStore organisations;
  private final MirrorStore mirror;
  private final Clock clock;
  private final Runnable syncNow;

  public RejectedRecords(OrganisationStore organisations, MirrorStore mirror, Clock clock, Runnable syncNow) {
    this.organisations = organisations;
    this.mirror = mirror;
    this.clock = clock;
    this.syncNow = syncNow;
  }

  public List<MirroredContract> list(String orgId, String cursor, int limit) {
    requireConfigured(orgId);
    return mirror.rejected(orgId, cursor == null ? "" : cursor, limit);
  }

  /** Sends rejected records again now (the given ones, or all of the organisation's). */
  public int resend(String orgId, Collection<String> contractIds) {
    requireConfigured(orgId);
    var count = mirror.resendRejected(orgId, contractIds == null ? List.of() : contractIds, clock.instant());
    syncNow.run();
    return count;
  }

  /** One contract's record as the mirror holds it (written, waiting or rejected). */
  public MirroredContract contract(String orgId, String contractId) {
    return mirror.find(orgId, contractId)
        .orElseThrow(() -> new RequestRefused(Kind.NOT_FOUND, "CONTRACT_NOT_FOUND", "No such contract."));
  }

  private void requireConfigured(String orgId) {
    organisations.find(orgId).orElseThrow(IntegrationSettings::notConfigured);
  }
}
