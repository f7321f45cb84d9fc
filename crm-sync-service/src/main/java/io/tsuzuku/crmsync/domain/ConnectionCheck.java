package io.tsuzuku.crmsync.domain;

/**
 * What a check of an organisation's connection found: it logged in and read the object with the
 * fields its mapping writes ({@code code} null), or why not: {@code LOGIN_REFUSED}, Salesforce's
 * own code for a request it refused ({@code INVALID_FIELD}, {@code INVALID_TYPE}, …), tsuzuku's for
 * settings refused before any call ({@code LOGIN_URL_REFUSED}), {@code REQUEST_LIMIT_EXCEEDED} or
 * {@code UNAVAILABLE}. {@code usage} is the org's API usage its answer reported, where it did.
 */
public record ConnectionCheck(String code, String message, ApiUsage usage) {

  public static final String LOGIN_REFUSED = "LOGIN_REFUSED";

  public boolean connected() {
    return code == null;
  }

  /** A check that ended as a sync call would have. */
  public static ConnectionCheck of(UpsertOutcome outcome) {
    if (outcome instanceof UpsertOutcome.Completed completed) {
      return new ConnectionCheck(null, "connected", completed.usage());
    }
    if (outcome instanceof UpsertOutcome.Misconfigured misconfigured) {
      return new ConnectionCheck(misconfigured.code(), misconfigured.detail(), null);
    }
    if (outcome instanceof UpsertOutcome.RequestLimitExceeded limit) {
      return new ConnectionCheck("REQUEST_LIMIT_EXCEEDED", limit.detail(), null);
    }
    return new ConnectionCheck("UNAVAILABLE", ((UpsertOutcome.Unavailable) outcome).detail(), null);
  }
}
