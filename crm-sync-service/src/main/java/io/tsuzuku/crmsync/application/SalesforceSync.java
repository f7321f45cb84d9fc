package io.tsuzuku.crmsync.application;

import io.tsuzuku.crmsync.application.port.MirrorStore;
import io.tsuzuku.crmsync.application.port.OrganisationStore;
import io.tsuzuku.crmsync.application.port.SalesforceClient;
import io.tsuzuku.crmsync.application.port.SalesforceClient.OutgoingRecord;
import io.tsuzuku.crmsync.domain.ApiUsage;
import io.tsuzuku.crmsync.domain.SalesforceMapping;
import io.tsuzuku.crmsync.domain.SyncPolicy;
import io.tsuzuku.crmsync.domain.UpsertOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the contracts' latest values to each organisation's Salesforce org: in batches of up to
 * {@link SyncPolicy#batchSize()}, a batch leaving when it is full or when its oldest change has
 * waited the linger. A contract whose record would not change is not sent. One instance at a
 * time syncs an organisation (a lease), so a contract's values reach Salesforce in order.
 *
 * <p>Failures lose nothing: the contracts stay pending in the store. A rejected record waits its
 * own back-off; a failed call pauses the whole organisation; a call Salesforce refused for what
 * the settings say pauses it until the administrator saves them again (no retry can fix a field
 * the org lacks); near the daily API limit the calls are spaced out.
 */
public final class SalesforceSync {

  public static final String RECONFIGURATION = "RECONFIGURATION";

  private static final Logger log = LoggerFactory.getLogger(SalesforceSync.class);
  private static final int SCAN_PAGE = 500;

  private final Measures measures;
  private final OrganisationStore organisations;
  private final MirrorStore mirror;
  private final SalesforceClient salesforce;
  private final SyncPolicy policy;
  private final Clock clock;
  private final Clock leaseClock;
  private final Duration lease;

  /** What the sync reports for its measures: every call's records and every pause. */
  public interface Measures {
    void upserted(String orgId, int written, int rejected, ApiUsage usage);

    void paused(String orgId, String reason);

    Measures NONE = new Measures() {
      @Override
      public void upserted(String orgId, int written, int rejected, ApiUsage usage) {}

      @Override
      public void paused(String orgId, String reason) {}
    };
  }

  /** Leases and business time on one clock (a test's, or the system's). */
  public SalesforceSync(
      OrganisationStore organisations, MirrorStore mirror, SalesforceClient salesforce, SyncPolicy policy, Clock clock, Duration lease) {
    this(organisations, mirror, salesforce, policy, clock, clock, lease, Measures.NONE);
  }

  /**
   * @param clock the business clock: when changes are due, the pauses, the pacing of calls
   * @param leaseClock the machine's clock, which ends an organisation's lease: a business clock
   *     that jumps (the demo's day a second, a test's) must not end a lease while a batch is on its
   *     way, or two instances would write the same records out of order
   */
  public SalesforceSync(OrganisationStore organisations, MirrorStore mirror, SalesforceClient salesforce, SyncPolicy policy,
      Clock clock, Clock leaseClock, Duration lease, Measures measures) {
    this.leaseClock = leaseClock;
    this.measures = measures;
    this.organisations = organisations;
    this.mirror = mirror;
    this.salesforce = salesforce;
    this.policy = policy;
    this.clock = clock;
    this.lease = lease;
  }

  /** One pass over every configured organisation, as {@code owner} (this instance). */
  public void runPass(String owner) {
    for (var orgId : organisations.organisationIds()) {
      syncOrganisation(orgId, owner);
    }
  }

  void syncOrganisation(String orgId, String owner) {
    if (!claim(orgId, owner)) {
      return;
    }
    try {
      var organisation = organisations.find(orgId).orElseThrow();
      if (!scanReconfiguration(organisation, owner)) {
        return;
      }
      // the lease is renewed before every batch, so no batch leaves once another instance holds it
      while (claim(orgId, owner) && sendNextBatch(organisations.find(orgId).orElseThrow())) {
        // the next batch, while there is one
      }
    } finally {
      organisations.release(orgId, owner);
    }
  }

  private boolean claim(String orgId, String owner) {
    var now = leaseClock.instant();
    return organisations.claim(orgId, owner, now, now.plus(lease));
  }

  /** @return whether a batch went out and the next one may follow at once */
  private boolean sendNextBatch(Organisation organisation) {
    var now = clock.instant();
    if (organisation.state().waiting(now)) {
      return false;
    }
    var due = mirror.due(organisation.orgId(), now, policy.batchSize());
    if (due.isEmpty()) {
      return false;
    }
    var full = due.size() >= policy.batchSize();
    var lingered = !due.get(0).pendingSince().plus(policy.linger()).isAfter(now);
    if (!full && !lingered) {
      return false;
    }
    var mapping = organisation.mapping();
    var contracts = new ArrayList<MirroredContract>();
    var records = new ArrayList<OutgoingRecord>();
    var unchanged = new ArrayList<MirrorStore.Written>();
    for (var contract : due) {
      var fields = mapping.fields(contract.state());
      if (SalesforceMapping.sameRecord(fields, contract.writtenFields())) {
        unchanged.add(new MirrorStore.Written(contract.contractId(), contract.state().version(), contract.writtenFields(), contract.writtenAt()));
      } else {
        contracts.add(contract);
        records.add(new OutgoingRecord(contract.contractId(), fields, contract.traceParent()));
      }
    }
    mirror.markSynced(unchanged);
    if (records.isEmpty()) {
      return true;
    }
    var outcome = salesforce.upsert(organisation, records);
    return apply(organisation, contracts, records, outcome);
  }

  private boolean apply(Organisation organisation, List<MirroredContract> contracts, List<OutgoingRecord> records, UpsertOutcome outcome) {
    var now = clock.instant();
    var orgId = organisation.orgId();
    if (outcome instanceof UpsertOutcome.Completed completed) {
      if (completed.results().size() != records.size()) {
        return pause(organisation, now.plus(policy.unavailable().after(organisation.state().failures() + 1)), "unavailable",
            "Salesforce answered " + completed.results().size() + " results for " + records.size() + " records");
      }
      var saved = new ArrayList<MirrorStore.Written>();
      int rejected = 0;
      for (int i = 0; i < records.size(); i++) {
        var contract = contracts.get(i);
        var result = completed.results().get(i);
        if (result.success()) {
          saved.add(new MirrorStore.Written(contract.contractId(), contract.state().version(), records.get(i).fields(), now));
        } else {
          rejected++;
          var retryAt = now.plus(policy.rejected().after(contract.rejections() + 1));
          mirror.markRejected(contract.contractId(), contract.state().version(), result.rejection(), now, retryAt);
          log.warn("salesforce rejected orgId='{}' contractId='{}' code='{}' message='{}' retryAt={}",
              orgId, contract.contractId(), result.rejection().code(), result.rejection().message(), retryAt);
        }
      }
      mirror.markSynced(saved);
      organisations.recordCall(orgId, completed.usage(), now, now.plus(policy.spacing(completed.usage())));
      log.info("salesforce upsert orgId='{}' records={} rejected={} apiUsage={}", orgId, records.size(), rejected, completed.usage());
      measures.upserted(orgId, records.size() - rejected, rejected, completed.usage());
      return true;
    }
    var failures = organisation.state().failures() + 1;
    if (outcome instanceof UpsertOutcome.RequestLimitExceeded limit) {
      return pause(organisation, now.plus(policy.requestLimit().after(failures)), "request_limit", "REQUEST_LIMIT_EXCEEDED: " + limit.detail());
    }
    if (outcome instanceof UpsertOutcome.Misconfigured misconfigured) {
      return pause(organisation, Organisation.SyncState.UNTIL_SETTINGS_CHANGE, "configuration",
          "Salesforce refused the settings (" + misconfigured.code() + "): " + misconfigured.detail()
              + "; the sync resumes when the settings are saved");
    }
    return pause(organisation, now.plus(policy.unavailable().after(failures)), "unavailable", ((UpsertOutcome.Unavailable) outcome).detail());
  }

  private boolean pause(Organisation organisation, Instant until, String kind, String reason) {
    var now = clock.instant();
    var failures = organisation.state().failures() + 1;
    organisations.pause(organisation.orgId(), failures, until, reason, now);
    measures.paused(organisation.orgId(), kind);
    log.warn("salesforce sync paused orgId='{}' failures={} until={} reason='{}'", organisation.orgId(), failures, until, reason);
    return false;
  }

  /**
   * Compares every contract of the organisation once with what was last written under the new
   * mapping, and marks those whose record changes. Page by page, with the progress saved, so a
   * restart continues where it stopped; marking twice is harmless. The lease is renewed before
   * every page.
   *
   * @return false when the lease was lost on the way: another instance holds the organisation now
   */
  private boolean scanReconfiguration(Organisation organisation, String owner) {
    var reconfiguration = organisation.state().reconfiguration();
    if (reconfiguration == null || reconfiguration.scanFinished()) {
      return true;
    }
    var cursor = reconfiguration.cursor();
    var scanned = reconfiguration.scanned();
    var marked = reconfiguration.marked();
    List<MirroredContract> page;
    do {
      if (!claim(organisation.orgId(), owner)) {
        return false;
      }
      page = mirror.page(organisation.orgId(), cursor, SCAN_PAGE);
      var changed = new ArrayList<String>();
      for (var contract : page) {
        if (contract.writtenFields() != null
            && !SalesforceMapping.sameRecord(organisation.mapping().fields(contract.state()), contract.writtenFields())) {
          changed.add(contract.contractId());
        }
      }
      mirror.markForResend(changed, clock.instant(), RECONFIGURATION);
      scanned += page.size();
      marked += changed.size();
      cursor = page.isEmpty() ? cursor : page.get(page.size() - 1).contractId();
      var current = organisations.reconfigurationProgress(
          organisation.orgId(), reconfiguration.revision(), cursor, scanned, marked, page.size() < SCAN_PAGE);
      if (!current) {
        return true; // the settings changed again: the next pass scans for the newer mapping
      }
    } while (page.size() == SCAN_PAGE);
    log.info("salesforce reconfiguration scanned orgId='{}' mode={} contracts={} toResend={}",
        organisation.orgId(), reconfiguration.to(), scanned, marked);
    return true;
  }
}
