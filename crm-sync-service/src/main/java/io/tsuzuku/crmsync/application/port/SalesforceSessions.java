package io.tsuzuku.crmsync.application.port;

/** The organisations' cached Salesforce access tokens. */
public interface SalesforceSessions {

  /** Drops the organisation's token, so the next call logs in with its current credentials. */
  void forget(String orgId);
}
