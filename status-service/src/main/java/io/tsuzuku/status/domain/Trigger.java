package io.tsuzuku.status.domain;

/**
 * What can happen to a contract: the event column of the transition table, each with the service
 * that reports it (null: a person, named by the event itself).
 */
public enum Trigger {
  SCHEDULED_CHARGE_FAILED(Actor.BILLING),
  AUTOMATIC_RETRY_FAILED(Actor.BILLING),
  RETRIES_EXHAUSTED(Actor.RETRY_SCHEDULER),
  REPAYMENT_DEADLINE_PASSED(Actor.BILLING),
  PAYMENT_SUCCEEDED(Actor.BILLING),
  MANUAL_RETRY_FAILED(Actor.BILLING),
  REPAYMENT_FAILED(Actor.BILLING),
  RETRY_SCHEDULED(Actor.RETRY_SCHEDULER),
  MANUAL_RETRY_REQUESTED(null),
  MANUAL_RETRY_WITHDRAWN(null),
  FINAL_NOTICE_SENT(null),
  REPAYMENT_REQUESTED(null),
  PAYMENT_METHOD_UPDATED(null),
  CANCELLED_BY_ADMINISTRATOR(null),
  CANCELLED_BY_SUPPORTER(null);

  private final Actor reportedBy;

  Trigger(Actor reportedBy) {
    this.reportedBy = reportedBy;
  }

  /** The service that reports this trigger; null when a person causes it. */
  public Actor reportedBy() {
    return reportedBy;
  }
}
