package io.tsuzuku.crmsync.domain;

import io.tsuzuku.testkit.GeneratedDocs;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Renders the default mapping tables and the sync policy into docs/salesforce-mapping.md. */
class SalesforceMappingDocumentTest {

  static String render() {
    var text = new StringBuilder();
    text.append("### Status values\n\n");
    text.append("| status | custom object, LEGACY | custom object, RECONFIGURED | NPSP, LEGACY | NPSP, RECONFIGURED |\n");
    text.append("|---|---|---|---|---|\n");
    for (var status : Status.values()) {
      text.append("| ").append(status)
          .append(" | ").append(cell(SalesforceMapping.LEGACY_VALUES, status))
          .append(" | ").append(cell(SalesforceMapping.RECONFIGURED_VALUES, status))
          .append(" | ").append(cell(SalesforceMapping.NPSP_LEGACY_VALUES, status))
          .append(" | ").append(cell(SalesforceMapping.NPSP_RECONFIGURED_VALUES, status))
          .append(" |\n");
    }
    text.append("\nNPSP: object `").append(SalesforceMapping.NPSP_OBJECT).append("`, status field `")
        .append(SalesforceMapping.NPSP_STATUS_FIELD).append("`, status reason field `")
        .append(SalesforceMapping.NPSP_STATUS_REASON_FIELD).append("` (shown after the slash; empty clears it).\n\n");
    var policy = SyncPolicy.DEFAULT;
    text.append("### Sync policy\n\n| what | value |\n|---|---|\n");
    text.append("| records per upsert call | ").append(policy.batchSize()).append(" |\n");
    text.append("| linger of a part batch | ").append(policy.linger()).append(" |\n");
    text.append("| a rejected record waits | ").append(backoff(policy.rejected())).append(" |\n");
    text.append("| 5xx, timeout, refused login: the organisation waits | ").append(backoff(policy.unavailable())).append(" |\n");
    text.append("| 403 REQUEST_LIMIT_EXCEEDED: the organisation waits | ").append(backoff(policy.requestLimit())).append(" |\n");
    for (var step : policy.slowdown()) {
      text.append("| daily API usage ≥ ").append(Math.round(step.share() * 100)).append(" % | calls at least ")
          .append(step.spacing()).append(" apart |\n");
    }
    return text.toString();
  }

  private static String cell(Map<Status, WrittenValue> table, Status status) {
    var value = table.get(status);
    return value.reason() == null ? value.status() : value.status() + " / " + value.reason();
  }

  private static String backoff(Backoff backoff) {
    return backoff.first() + ", ×" + backoff.factor() + " after each failure, at most " + backoff.max();
  }

  @Test
  void theDocumentShowsTheMappingInTheCode() {
    GeneratedDocs.assertUpToDate("salesforce-mapping.md", SalesforceMappingDocumentTest.class, render());
  }
}
