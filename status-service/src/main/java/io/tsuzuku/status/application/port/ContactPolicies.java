package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.ContactBudget;

/** Each organisation's contact budget and quiet hours; {@link ContactBudget.Policy#DEFAULT} until it sets its own. */
public interface ContactPolicies {

  ContactBudget.Policy of(String orgId);

  void set(String orgId, ContactBudget.Policy policy);

  /** The organisations whose policy sends a re-payment request on a contract's first failure. */
  java.util.List<String> requestingOnFirstFailure();
}
