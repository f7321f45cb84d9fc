package io.tsuzuku.kit;

/**
 * An event about a contract this service has not registered yet: registrations travel on another
 * topic and may come later. The error handler retries such a record for a while, then
 * dead-letters it with this reason; every other failure that is not unprocessable is retried
 * without limit.
 */
public class UnknownContractException extends RuntimeException {
  public UnknownContractException(String contractId) {
    super("contract " + contractId + " is not registered here yet");
  }
}
