package io.tsuzuku.crmsync.application;

import io.tsuzuku.crmsync.application.port.SalesforceClient;
import io.tsuzuku.crmsync.domain.ConnectionCheck;
import java.time.Clock;
import java.time.Instant;

/**
 * An organisation's administrator checks the connection after setting Salesforce up
 * (docs/salesforce-setup.md, "Check the connection"): a login and a read of the mapped object
 * with its fields, at once, whether or not any record is waiting to be written. It changes
 * nothing: a sync paused for its settings resumes when they are saved.
 */
public final class ConnectionChecks {

  /** What the check found, for which object, and when. */
  public record Result(ConnectionCheck check, String objectApiName, Instant checkedAt) {}

  private final IntegrationSettings settings;
  private final SalesforceClient salesforce;
  private final Clock clock;

  public ConnectionChecks(IntegrationSettings settings, SalesforceClient salesforce, Clock clock) {
    this.settings = settings;
    this.salesforce = salesforce;
    this.clock = clock;
  }

  public Result check(String orgId) {
    var organisation = settings.organisation(orgId);
    return new Result(salesforce.check(organisation), organisation.mapping().objectApiName(), clock.instant());
  }
}
