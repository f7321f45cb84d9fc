package io.tsuzuku.crmsync.domain;

/** Salesforce's answer for one record of a batch, in the batch's order. */
public record RecordResult(boolean success, Rejection rejection) {

  public static final RecordResult SAVED = new RecordResult(true, null);

  public static RecordResult rejected(String code, String message) {
    return new RecordResult(false, Rejection.of(code, message));
  }
}
