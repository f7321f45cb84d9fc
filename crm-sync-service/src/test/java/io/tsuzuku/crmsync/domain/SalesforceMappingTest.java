package io.tsuzuku.crmsync.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The value each status is written as, per mode and preset (docs/salesforce-mapping.md). */
class SalesforceMappingTest {

  private static final Instant ERROR_SINCE = Instant.parse("2026-03-01T01:00:00Z");
  private static final Instant NEXT_RETRY = Instant.parse("2026-12-09T16:00:00Z"); // 2026-12-10 in Tokyo

  @ParameterizedTest(name = "{0} {1} is written as {2}")
  @CsvSource({
    "LEGACY, ACTIVE, 継続中",
    "LEGACY, RETRYING, 再決済待ち",
    "LEGACY, ERROR, 再決済待ち",
    "LEGACY, CANCELLED, 解約",
    "RECONFIGURED, ACTIVE, 継続中",
    "RECONFIGURED, RETRYING, リトライ中",
    "RECONFIGURED, ERROR, エラー",
    "RECONFIGURED, CANCELLED, 解約",
  })
  void aCustomObjectGetsTheDefaultValuesOfItsMode(MappingMode mode, Status status, String value) {
    var mapping = SalesforceMapping.custom("Recurring_Contract__c", "Tsuzuku_Contract_Id__c", "Status__c").withMode(mode);

    assertThat(mapping.fields(state(status))).containsEntry("Status__c", value);
  }

  @ParameterizedTest(name = "NPSP {0} {1} is written as {2} / {3}")
  @CsvSource({
    "LEGACY, ACTIVE, Active, ",
    "LEGACY, RETRYING, Lapsed, Payment Failed",
    "LEGACY, ERROR, Lapsed, Payment Failed",
    "LEGACY, CANCELLED, Closed, Cancelled",
    "RECONFIGURED, ACTIVE, Active, ",
    "RECONFIGURED, RETRYING, Lapsed, Retrying Payment",
    "RECONFIGURED, ERROR, Lapsed, Payment Error",
    "RECONFIGURED, CANCELLED, Closed, Cancelled",
  })
  void theNonprofitSuccessPackPresetWritesStatusAndStatusReason(MappingMode mode, Status status, String value, String reason) {
    var mapping = SalesforceMapping.npsp("Tsuzuku_Contract_Id__c").withMode(mode);

    assertThat(mapping.objectApiName()).isEqualTo("npe03__Recurring_Donation__c");
    assertThat(mapping.fields(state(status)))
        .containsEntry("npsp__Status__c", value)
        .containsEntry("npsp__ClosedReason__c", reason);
  }

  @Test
  void legacyModeWritesErrorExactlyLikeRetrying() {
    var legacy = SalesforceMapping.custom("Recurring_Contract__c", "Tsuzuku_Contract_Id__c", "Status__c")
        .withExtraFields(new ExtraFields("Error_Since__c", "Last_Failure__c", "Next_Retry_On__c"));

    assertThat(legacy.fields(state(Status.ERROR))).isEqualTo(legacy.fields(state(Status.RETRYING)));
    assertThat(legacy.fields(state(Status.ERROR))).containsOnlyKeys("Status__c");
  }

  /**
   * The re-payment requests and the supporter's new card reach Salesforce as fields an
   * organisation can report on, in the reconfigured mapping only: the legacy one writes what it
   * always wrote.
   */
  @Test
  void theRepaymentRequestsAndCardUpdatesAreWrittenInTheReconfiguredMappingOnly() {
    var fields = new ExtraFields(null, null, null, "Last_Repayment_Request__c", "Repayment_Requests__c", "Card_Updated__c");
    var legacy = SalesforceMapping.custom("Recurring_Contract__c", "Tsuzuku_Contract_Id__c", "Status__c").withExtraFields(fields);
    var reconfigured = legacy.withMode(MappingMode.RECONFIGURED);
    var asked = new ContractState("org-1", "c-1", 5, Status.ERROR, ERROR_SINCE, "expired_card", null,
        java.time.LocalDate.of(2026, 12, 7), 2, Instant.parse("2026-12-08T03:04:05Z"));
    var never = new ContractState("org-1", "c-2", 5, Status.ERROR, ERROR_SINCE, "expired_card", null);

    assertThat(reconfigured.fields(asked)).containsEntry("Last_Repayment_Request__c", "2026-12-07").containsEntry("Repayment_Requests__c", 2)
        .containsEntry("Card_Updated__c", "2026-12-08T03:04:05Z");
    assertThat(reconfigured.fields(never)).containsEntry("Last_Repayment_Request__c", null).containsEntry("Repayment_Requests__c", null)
        .containsEntry("Card_Updated__c", null);
    assertThat(reconfigured.writtenFields()).contains("Last_Repayment_Request__c", "Repayment_Requests__c", "Card_Updated__c");
    assertThat(legacy.fields(asked)).containsOnlyKeys("Status__c");
    assertThat(legacy.writtenFields()).containsExactly("Status__c");
  }

  @Test
  void reconfiguredModeWritesTheExtraFields() {
    var reconfigured = SalesforceMapping.custom("Recurring_Contract__c", "Tsuzuku_Contract_Id__c", "Status__c")
        .withMode(MappingMode.RECONFIGURED)
        .withExtraFields(new ExtraFields("Error_Since__c", "Last_Failure__c", "Next_Retry_On__c"));

    assertThat(reconfigured.fields(state(Status.ERROR)))
        .containsEntry("Status__c", "エラー")
        .containsEntry("Error_Since__c", "2026-03-01T01:00:00Z")
        .containsEntry("Last_Failure__c", "expired_card")
        .containsEntry("Next_Retry_On__c", "2026-12-10");
    var active = new ContractState("org-1", "c-1", 9, Status.ACTIVE, null, null, null);
    assertThat(reconfigured.fields(active))
        .containsEntry("Status__c", "継続中")
        .containsEntry("Error_Since__c", null)
        .containsEntry("Last_Failure__c", null)
        .containsEntry("Next_Retry_On__c", null);
  }

  @Test
  void aFieldNeverWrittenCountsAsEmpty() {
    var written = Map.<String, Object>of("Status__c", "継続中");
    var withEmptyExtras = new HashMap<String, Object>(written);
    withEmptyExtras.put("Error_Since__c", null);

    assertThat(SalesforceMapping.sameRecord(withEmptyExtras, written)).isTrue();
    assertThat(SalesforceMapping.sameRecord(Map.of("Status__c", "エラー"), written)).isFalse();
    assertThat(SalesforceMapping.sameRecord(written, null)).isFalse();
  }

  @Test
  void aMappingNeedsAValueForEveryStatusAndApiNames() {
    var partial = new EnumMap<Status, WrittenValue>(Status.class);
    partial.put(Status.ACTIVE, WrittenValue.of("継続中"));

    assertThatThrownBy(() -> new SalesforceMapping("Obj__c", "Ext__c", "Status__c", null, MappingMode.LEGACY,
            Map.of(MappingMode.LEGACY, partial, MappingMode.RECONFIGURED, SalesforceMapping.RECONFIGURED_VALUES), null))
        .hasMessageContaining("every status needs a value in LEGACY mode");
    assertThatThrownBy(() -> SalesforceMapping.custom("Obj__c; DROP", "Ext__c", "Status__c"))
        .hasMessageContaining("not a Salesforce API name");
    assertThatThrownBy(() -> WrittenValue.of(" ")).hasMessageContaining("blank");
  }

  private static ContractState state(Status status) {
    return new ContractState("org-1", "c-1", 3, status, status == Status.ERROR ? ERROR_SINCE : null, "expired_card", NEXT_RETRY);
  }
}
