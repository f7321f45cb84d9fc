package io.tsuzuku.retry.application;

/**
 * An event about a contract whose registration or status this service has not seen yet (they
 * travel on other topics): the consumer retries with backoff, then dead-letters it.
 */
public class UnknownContractException extends RuntimeException {
  public UnknownContractException(String contractId) {
    super("contract " + contractId + " is not known to the retry service yet");
  }
}
