package io.tsuzuku.kit;

/**
 * An event about a contract this service has not registered yet: registrations travel on another
 * topic and may come later. The error handler tries such a record a few times, then parks it
 * ({@link ParkedRecords}) and tries it again for hours before it dead-letters it with this reason;
 * every other failure that is not unprocessable is retried without limit.
 */
public class UnknownContractException extends RuntimeException {
  public UnknownContractException(String contractId) {
    super("contract " + contractId + " is not registered here yet");
  }
}
