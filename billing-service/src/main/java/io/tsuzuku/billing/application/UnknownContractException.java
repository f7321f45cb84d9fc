package io.tsuzuku.billing.application;

/** A command for a contract billing has not registered (yet): the consumer retries, then dead-letters it. */
public class UnknownContractException extends RuntimeException {
  public UnknownContractException(String contractId) {
    super("contract " + contractId + " is not in billing's contract book");
  }
}
