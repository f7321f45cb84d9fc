package io.tsuzuku.crmsync.domain;

/**
 * The optional fields a reconfigured integration writes (API names; null: not written): since
 * when the contract is in ERROR (DateTime), the last failure's code (Text), the next retry's date
 * in Asia/Tokyo (Date).
 */
public record ExtraFields(String errorSince, String lastFailure, String nextRetry) {

  public static final ExtraFields NONE = new ExtraFields(null, null, null);
}
