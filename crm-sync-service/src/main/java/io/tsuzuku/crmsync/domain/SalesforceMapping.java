package io.tsuzuku.crmsync.domain;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How one organisation's contracts appear in its Salesforce org: the object, the external id
 * field that finds a contract's record, the status field (and the status reason field, where the
 * object has one), the value written for each status in each mode, and the extra fields a
 * reconfigured integration adds. The default tables and the Nonprofit Success Pack preset are
 * here; docs/salesforce-mapping.md renders them.
 */
public record SalesforceMapping(
    String objectApiName,
    String externalIdField,
    String statusField,
    String statusReasonField,
    MappingMode mode,
    Map<MappingMode, Map<Status, WrittenValue>> values,
    ExtraFields extraFields) {

  /** Business dates (the next retry's) are Asia/Tokyo dates, as everywhere in tsuzuku. */
  public static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");

  /** The values an organisation's picklist already knew: ERROR is written like RETRYING. */
  public static final Map<Status, WrittenValue> LEGACY_VALUES =
      table("継続中", null, "再決済待ち", null, "再決済待ち", null, "解約", null);

  /** Distinct values for RETRYING and ERROR, after the organisation added エラー to its picklist. */
  public static final Map<Status, WrittenValue> RECONFIGURED_VALUES =
      table("継続中", null, "リトライ中", null, "エラー", null, "解約", null);

  /** NPSP Recurring Donation, not reconfigured: Lapsed with one reason for both failed states. */
  public static final Map<Status, WrittenValue> NPSP_LEGACY_VALUES =
      table("Active", null, "Lapsed", "Payment Failed", "Lapsed", "Payment Failed", "Closed", "Cancelled");

  /** NPSP Recurring Donation, reconfigured: still Lapsed, the status reason tells RETRYING from ERROR. */
  public static final Map<Status, WrittenValue> NPSP_RECONFIGURED_VALUES =
      table("Active", null, "Lapsed", "Retrying Payment", "Lapsed", "Payment Error", "Closed", "Cancelled");

  public static final String NPSP_OBJECT = "npe03__Recurring_Donation__c";
  public static final String NPSP_STATUS_FIELD = "npsp__Status__c";
  public static final String NPSP_STATUS_REASON_FIELD = "npsp__ClosedReason__c";

  private static final Pattern API_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");

  public SalesforceMapping {
    requireApiName("objectApiName", objectApiName);
    requireApiName("externalIdField", externalIdField);
    requireApiName("statusField", statusField);
    if (statusReasonField != null) {
      requireApiName("statusReasonField", statusReasonField);
    }
    Objects.requireNonNull(mode, "mode");
    extraFields = extraFields == null ? ExtraFields.NONE : extraFields;
    extraFields.named().forEach(name -> requireApiName("extraFields", name));
    var copy = new EnumMap<MappingMode, Map<Status, WrittenValue>>(MappingMode.class);
    for (var m : MappingMode.values()) {
      var table = values == null ? null : values.get(m);
      if (table == null || !table.keySet().containsAll(EnumSet.allOf(Status.class)) || table.values().stream().anyMatch(Objects::isNull)) {
        throw new IllegalArgumentException("values: every status needs a value in " + m + " mode");
      }
      copy.put(m, Collections.unmodifiableMap(new EnumMap<>(table)));
    }
    values = Collections.unmodifiableMap(copy);
  }

  /** A custom object with the default values of both modes, not reconfigured yet. */
  public static SalesforceMapping custom(String objectApiName, String externalIdField, String statusField) {
    return new SalesforceMapping(
        objectApiName, externalIdField, statusField, null, MappingMode.LEGACY,
        Map.of(MappingMode.LEGACY, LEGACY_VALUES, MappingMode.RECONFIGURED, RECONFIGURED_VALUES), ExtraFields.NONE);
  }

  /**
   * The Nonprofit Success Pack preset: the Recurring Donation object, its Status and Status
   * Reason fields; the organisation adds the external id field that holds tsuzuku's contract id.
   */
  public static SalesforceMapping npsp(String externalIdField) {
    return new SalesforceMapping(
        NPSP_OBJECT, externalIdField, NPSP_STATUS_FIELD, NPSP_STATUS_REASON_FIELD, MappingMode.LEGACY,
        Map.of(MappingMode.LEGACY, NPSP_LEGACY_VALUES, MappingMode.RECONFIGURED, NPSP_RECONFIGURED_VALUES), ExtraFields.NONE);
  }

  public SalesforceMapping withMode(MappingMode newMode) {
    return new SalesforceMapping(objectApiName, externalIdField, statusField, statusReasonField, newMode, values, extraFields);
  }

  public SalesforceMapping withExtraFields(ExtraFields fields) {
    return new SalesforceMapping(objectApiName, externalIdField, statusField, statusReasonField, mode, values, fields);
  }

  public WrittenValue valueOf(Status status) {
    return values.get(mode).get(status);
  }

  /**
   * The fields of a contract's record (without the external id): the status, the status reason
   * where the object has one, and in RECONFIGURED mode the configured extra fields. A field
   * without a value is null, which clears it in Salesforce.
   */
  public Map<String, Object> fields(ContractState state) {
    var fields = new LinkedHashMap<String, Object>();
    var value = valueOf(state.status());
    fields.put(statusField, value.status());
    if (statusReasonField != null) {
      fields.put(statusReasonField, value.reason());
    }
    if (mode == MappingMode.RECONFIGURED) {
      putIfNamed(fields, extraFields.errorSince(),
          state.status() == Status.ERROR && state.errorSince() != null ? state.errorSince().toString() : null);
      putIfNamed(fields, extraFields.lastFailure(), state.status() == Status.ACTIVE ? null : state.lastFailureCode());
      putIfNamed(fields, extraFields.nextRetry(),
          state.nextRetryAt() == null ? null : state.nextRetryAt().atZone(ZONE).toLocalDate().toString());
      putIfNamed(fields, extraFields.lastRepaymentRequest(),
          state.lastRepaymentRequestOn() == null ? null : state.lastRepaymentRequestOn().toString());
      putIfNamed(fields, extraFields.repaymentRequests(),
          state.repaymentRequestsSent() == 0 ? null : state.repaymentRequestsSent());
      putIfNamed(fields, extraFields.cardUpdated(), state.cardUpdatedAt() == null ? null : state.cardUpdatedAt().toString());
    }
    return fields;
  }

  /** The fields a record's write names in this mode (those of {@link #fields}), for a check of the org. */
  public List<String> writtenFields() {
    var names = new ArrayList<String>();
    names.add(statusField);
    if (statusReasonField != null) {
      names.add(statusReasonField);
    }
    if (mode == MappingMode.RECONFIGURED) {
      extraFields.named().forEach(names::add);
    }
    return names;
  }

  /**
   * Whether two records write the same values. A field one of them lacks counts as empty: a
   * field that was never written is blank in Salesforce, so adding an extra field whose value
   * is empty changes nothing for that contract.
   */
  public static boolean sameRecord(Map<String, Object> a, Map<String, Object> b) {
    if (a == null || b == null) {
      return a == b;
    }
    var names = new HashSet<>(a.keySet());
    names.addAll(b.keySet());
    for (var name : names) {
      if (!Objects.equals(a.get(name), b.get(name))) {
        return false;
      }
    }
    return true;
  }

  private static void putIfNamed(Map<String, Object> fields, String name, Object value) {
    if (name != null) {
      fields.put(name, value);
    }
  }

  private static void requireApiName(String what, String name) {
    if (name == null || !API_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + ": '" + name + "' is not a Salesforce API name");
    }
  }

  private static Map<Status, WrittenValue> table(
      String active, String activeReason, String retrying, String retryingReason,
      String error, String errorReason, String cancelled, String cancelledReason) {
    var table = new EnumMap<Status, WrittenValue>(Status.class);
    table.put(Status.ACTIVE, new WrittenValue(active, activeReason));
    table.put(Status.RETRYING, new WrittenValue(retrying, retryingReason));
    table.put(Status.ERROR, new WrittenValue(error, errorReason));
    table.put(Status.CANCELLED, new WrittenValue(cancelled, cancelledReason));
    return Collections.unmodifiableMap(table);
  }
}
