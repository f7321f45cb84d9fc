package io.tsuzuku.crmsync.domain;

import java.util.Map;

/**
 * Salesforce refused one record of a batch: its error code and message, and a hint for the
 * organisation's administrator (what to change in the org or in the configuration).
 */
public record Rejection(String code, String message, String hint) {

  /** The org holds no record with the contract's external id; the sync updates records, it never creates them. */
  public static final String NOT_IN_SALESFORCE = "NOT_IN_SALESFORCE";

  private static final Map<String, String> HINTS =
      Map.ofEntries(
          Map.entry(NOT_IN_SALESFORCE,
              "Salesforce has no record with this contract's id in the external id field, and the sync does not create records "
                  + "(the object's required fields are the platform's to fill): create or link the record in Salesforce, then re-send it."),
          Map.entry("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
              "The status field's picklist lacks this value: add it in Salesforce Setup (Object Manager, the field's values), or change the value in the mapping. The record is re-sent automatically."),
          Map.entry("INVALID_FIELD",
              "A configured field does not exist on the object: check the field API names of the mapping."),
          Map.entry("INVALID_FIELD_FOR_INSERT_UPDATE",
              "A configured field is not writable: check its field-level security for the integration user."),
          Map.entry("FIELD_CUSTOM_VALIDATION_EXCEPTION",
              "A validation rule of the org refused the record: see the message, and adjust the rule or the mapping."),
          Map.entry("DUPLICATE_EXTERNAL_ID",
              "Several records carry this contract's external id: merge them in Salesforce."),
          Map.entry("INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
              "The integration user may not edit this record: check its sharing and permissions."),
          Map.entry("ENTITY_IS_DELETED",
              "The record was deleted in Salesforce: restore it from the recycle bin, or delete its external id there."),
          Map.entry("STRING_TOO_LONG",
              "A value is longer than its field allows: widen the field or shorten the mapped value."));

  private static final String GENERAL_HINT =
      "See Salesforce's message; once the org or the mapping is fixed, the record is re-sent automatically, or re-send it now.";

  public static Rejection of(String code, String message) {
    return new Rejection(code, message, HINTS.getOrDefault(code, GENERAL_HINT));
  }
}
