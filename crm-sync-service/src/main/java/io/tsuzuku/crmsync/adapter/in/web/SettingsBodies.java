package io.tsuzuku.crmsync.adapter.in.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.tsuzuku.crmsync.application.ConnectionChecks;
import io.tsuzuku.crmsync.application.IntegrationSettings;
import io.tsuzuku.crmsync.application.MirroredContract;
import io.tsuzuku.crmsync.application.Organisation;
import io.tsuzuku.crmsync.domain.ExtraFields;
import io.tsuzuku.crmsync.domain.MappingMode;
import io.tsuzuku.crmsync.domain.SalesforceMapping;
import io.tsuzuku.crmsync.domain.Status;
import io.tsuzuku.crmsync.domain.WrittenValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes the integration API answers with: the client secret never among them. */
final class SettingsBodies {

  private SettingsBodies() {}

  record ModeBody(MappingMode mode) {}

  record ResendBody(List<String> contractIds) {}

  record Resent(int resent) {}

  /**
   * @param connected logged in, and the object and every mapped field could be read
   * @param code why not: LOGIN_REFUSED, Salesforce's code (INVALID_FIELD, INVALID_TYPE, …),
   *     LOGIN_URL_REFUSED, REQUEST_LIMIT_EXCEEDED or UNAVAILABLE; null when connected
   */
  record CheckView(
      boolean connected, String code, String message, String objectApiName, Instant checkedAt, Long apiCallsUsed, Long apiCallsLimit) {

    static CheckView of(ConnectionChecks.Result result) {
      var check = result.check();
      var usage = check.usage();
      return new CheckView(check.connected(), check.code(), check.message(), result.objectApiName(), result.checkedAt(),
          usage == null ? null : usage.used(), usage == null ? null : usage.limit());
    }
  }

  /** An organisation's settings as the API shows them: the connection without its secret, the mapping, the sync. */
  record SettingsView(
      String orgId,
      long revision,
      String loginUrl,
      String clientId,
      boolean clientSecretSet,
      @JsonUnwrapped SalesforceMapping mapping,
      SyncView sync) {

    static SettingsView of(IntegrationSettings.View view) {
      var o = view.organisation();
      return new SettingsView(
          o.orgId(), o.revision(), o.connection().loginUrl(), o.connection().clientId(), o.connection().clientSecret() != null,
          o.mapping(), SyncView.of(o.state(), view));
    }
  }

  /**
   * @param pausedUntil the end of a pause after a failed call
   * @param waitingForSettings Salesforce refused the settings themselves ({@code lastError} says
   *     how): nothing is sent until they are saved again
   */
  record SyncView(
      long pending,
      long rejected,
      Instant pausedUntil,
      boolean waitingForSettings,
      int failuresInARow,
      String lastError,
      Instant lastErrorAt,
      Instant lastCallAt,
      Long apiCallsUsed,
      Long apiCallsLimit,
      ReconfigurationView reconfiguration) {

    static SyncView of(Organisation.SyncState state, IntegrationSettings.View view) {
      var r = state.reconfiguration();
      var backlog = view.backlog();
      return new SyncView(
          backlog.pending(), backlog.rejected(), state.waitingForSettings() ? null : state.pausedUntil(), state.waitingForSettings(),
          state.failures(), state.lastError(), state.lastErrorAt(),
          state.lastCallAt(), state.usage() == null ? null : state.usage().used(), state.usage() == null ? null : state.usage().limit(),
          r == null ? null : new ReconfigurationView(
              r.from(), r.to(), r.startedAt(), r.scanned(), r.marked(), backlog.pendingFor(), r.scanFinished() && backlog.pendingFor() == 0));
    }
  }

  /**
   * @param scanned contracts compared with what Salesforce shows so far
   * @param toResend contracts whose record changes
   * @param remaining of those, the ones not written yet (rejected ones stay here until fixed)
   */
  record ReconfigurationView(
      MappingMode from, MappingMode to, Instant startedAt, long scanned, long toResend, long remaining, boolean done) {}

  record ContractMirrorView(
      String contractId,
      Status status,
      long version,
      Map<String, Object> record,
      Map<String, Object> written,
      Instant writtenAt,
      boolean pending,
      RejectionView rejection) {

    static ContractMirrorView of(MirroredContract c, Map<String, Object> record) {
      return new ContractMirrorView(
          c.contractId(), c.state().status(), c.state().version(), record, c.writtenFields(), c.writtenAt(), c.pending(),
          RejectionView.of(c));
    }
  }

  record RejectionView(String code, String message, String hint, int attempts, Instant rejectedAt, Instant nextAttemptAt) {

    static RejectionView of(MirroredContract c) {
      return c.rejection() == null
          ? null
          : new RejectionView(c.rejection().code(), c.rejection().message(), c.rejection().hint(), c.rejections(), c.rejectedAt(), c.dueAt());
    }
  }

  record RejectionPage(List<ContractMirrorView> items, String nextCursor) {}
}
