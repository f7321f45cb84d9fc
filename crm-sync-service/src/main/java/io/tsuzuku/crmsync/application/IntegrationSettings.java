package io.tsuzuku.crmsync.application;

import io.tsuzuku.crmsync.application.Organisation.Connection;
import io.tsuzuku.crmsync.application.Organisation.Reconfiguration;
import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.security.RequestRefused.Kind;
import io.tsuzuku.crmsync.application.port.MirrorStore;
import io.tsuzuku.crmsync.application.port.OrganisationStore;
import io.tsuzuku.crmsync.application.port.SalesforceSessions;
import io.tsuzuku.crmsync.domain.ExtraFields;
import io.tsuzuku.crmsync.domain.MappingMode;
import io.tsuzuku.crmsync.domain.SalesforceMapping;
import io.tsuzuku.crmsync.domain.Status;
import io.tsuzuku.crmsync.domain.WrittenValue;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an organisation's administrator does with its integration's settings: configure it (a
 * preset or a custom object), switch between the legacy and the reconfigured mapping, and see how
 * the sync is doing. The rejected records are {@link RejectedRecords}'.
 *
 * <p>A change of the mapping starts a reconfiguration: the sync compares every contract with
 * what was last written and sends again exactly those whose record changes.
 */
public final class IntegrationSettings {

  public enum Preset {
    CUSTOM,
    NPSP
  }

  /**
   * The settings an administrator sends. Null fields take the preset's value; on an update a
   * null secret keeps the current one. {@code revision}, when sent, is the revision the settings
   * were read at: if they changed since, the request is refused rather than undoing that change
   * (a form that sends back what it read, as the console's does).
   */
  public record Request(
      String loginUrl, String clientId, String clientSecret,
      Preset preset, String objectApiName, String externalIdField, String statusField, String statusReasonField,
      MappingMode mode, Map<MappingMode, Map<Status, WrittenValue>> values, ExtraFields extraFields, Long revision) {}

  /** An organisation's settings with its sync's figures. */
  public record View(Organisation organisation, MirrorStore.Backlog backlog) {}

  private final OrganisationStore organisations;
  private final MirrorStore mirror;
  private final SalesforceSessions sessions;
  private final Clock clock;
  private final Runnable syncNow;
  private final LoginUrlPolicy loginUrls;

  public IntegrationSettings(OrganisationStore organisations, MirrorStore mirror, SalesforceSessions sessions, Clock clock,
      Runnable syncNow, LoginUrlPolicy loginUrls) {
    this.loginUrls = loginUrls;
    this.organisations = organisations;
    this.mirror = mirror;
    this.sessions = sessions;
    this.clock = clock;
    this.syncNow = syncNow;
  }

  /**
   * Configures the integration. A change of {@code loginUrl} or {@code clientId} requires the
   * client secret again: the stored one never follows the integration to another place.
   */
  public View configure(String orgId, Request request) {
    var current = organisations.find(orgId).orElse(null);
    if (request.revision() != null && request.revision() != (current == null ? 0 : current.revision())) {
      throw concurrentChange();
    }
    var samePlace = current != null && Objects.equals(current.connection().loginUrl(), trimmed(request.loginUrl()))
        && Objects.equals(current.connection().clientId(), request.clientId());
    if (current != null && !samePlace && request.clientSecret() == null) {
      throw new RequestRefused(Kind.INVALID, "SECRET_REQUIRED",
          "clientSecret is required again when loginUrl or clientId changes");
    }
    var secret = request.clientSecret() != null ? request.clientSecret() : current == null ? null : current.connection().clientSecret();
    var connection = connection(request.loginUrl(), request.clientId(), secret);
    return save(current, orgId, connection, mapping(request, current == null ? MappingMode.LEGACY : current.mapping().mode()));
  }

  /** Switches between the legacy and the reconfigured values, keeping everything else. */
  public View switchMode(String orgId, MappingMode mode) {
    var current = organisations.find(orgId).orElseThrow(IntegrationSettings::notConfigured);
    if (mode == null) {
      throw new RequestRefused(Kind.INVALID, "INVALID_SETTINGS", "mode: LEGACY or RECONFIGURED is required");
    }
    return save(current, orgId, current.connection(), current.mapping().withMode(mode));
  }

  public View view(String orgId) {
    return new View(organisation(orgId), mirror.backlog(orgId, SalesforceSync.RECONFIGURATION));
  }

  public Organisation organisation(String orgId) {
    return organisations.find(orgId).orElseThrow(IntegrationSettings::notConfigured);
  }

  private View save(Organisation current, String orgId, Connection connection, SalesforceMapping mapping) {
    if (current != null && current.connection().equals(connection) && current.mapping().equals(mapping)
        && !current.state().waitingForSettings()) {
      return view(orgId); // the same settings again: nothing to change, nothing to re-send
    }
    // the same settings saved while Salesforce refused them: the org was fixed, the sync tries again
    var revision = current == null ? 0 : current.revision();
    var state = current == null ? Organisation.SyncState.NEW : current.state();
    if (current != null && !current.mapping().equals(mapping)) {
      var reconfiguration = Reconfiguration.start(revision + 1, current.mapping().mode(), mapping.mode(), clock.instant());
      state = new Organisation.SyncState(
          state.failures(), state.pausedUntil(), state.lastError(), state.lastErrorAt(), state.usage(),
          state.lastCallAt(), state.nextCallAt(), reconfiguration);
    }
    var updated = new Organisation(orgId, connection, mapping, revision + 1, state);
    if (!organisations.save(updated, revision)) {
      throw concurrentChange();
    }
    if (current != null && !current.connection().equals(connection)) {
      sessions.forget(orgId);
    }
    syncNow.run();
    return view(orgId);
  }

  private Connection connection(String loginUrl, String clientId, String clientSecret) {
    if (loginUrl == null || clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank()) {
      throw new RequestRefused(Kind.INVALID, "INVALID_SETTINGS", "loginUrl, clientId and clientSecret are required");
    }
    loginUrls.refusal(loginUrl).ifPresent(reason -> {
      throw new RequestRefused(Kind.INVALID, "LOGIN_URL_NOT_ALLOWED", reason);
    });
    return new Connection(trimmed(loginUrl), clientId, clientSecret);
  }

  private static String trimmed(String loginUrl) {
    return loginUrl == null ? null : loginUrl.replaceAll("/+$", "");
  }

  private static SalesforceMapping mapping(Request request, MappingMode currentMode) {
    try {
      var preset = request.preset() == null ? Preset.CUSTOM : request.preset();
      var base =
          preset == Preset.NPSP
              ? SalesforceMapping.npsp(request.externalIdField())
              : SalesforceMapping.custom(request.objectApiName(), request.externalIdField(), request.statusField());
      var values = new EnumMap<MappingMode, Map<Status, WrittenValue>>(base.values());
      if (request.values() != null) {
        request.values().forEach((mode, table) -> {
          var merged = new EnumMap<>(values.get(mode));
          merged.putAll(table);
          values.put(mode, merged);
        });
      }
      return new SalesforceMapping(
          orDefault(request.objectApiName(), base.objectApiName()),
          base.externalIdField(),
          orDefault(request.statusField(), base.statusField()),
          orDefault(request.statusReasonField(), base.statusReasonField()),
          request.mode() == null ? currentMode : request.mode(),
          values,
          request.extraFields());
    } catch (IllegalArgumentException e) {
      throw new RequestRefused(Kind.INVALID, "INVALID_SETTINGS", e.getMessage());
    }
  }

  private static String orDefault(String value, String preset) {
    return value == null || value.isBlank() ? preset : value;
  }

  private static RequestRefused concurrentChange() {
    return new RequestRefused(Kind.CONFLICT, "CONCURRENT_CHANGE", "The settings changed meanwhile; read them and try again.");
  }

  /** The answer for an organisation that has no Salesforce integration. */
  static RequestRefused notConfigured() {
    return new RequestRefused(Kind.NOT_FOUND, "SALESFORCE_NOT_CONFIGURED", "The organisation has no Salesforce integration.");
  }
}
