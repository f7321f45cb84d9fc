package io.tsuzuku.status.application;

/**
 * An event arrived for a contract this service has not registered. Registrations and payment
 * outcomes travel on different topics, so this may be a matter of time: the consumer retries with
 * backoff, then parks the record on the dead-letter topic.
 */
public class UnknownContractException extends RuntimeException {
  public UnknownContractException(String contractId) {
    super("contract " + contractId + " is not registered");
  }
}
