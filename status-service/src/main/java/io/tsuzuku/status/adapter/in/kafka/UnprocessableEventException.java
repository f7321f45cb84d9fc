package io.tsuzuku.status.adapter.in.kafka;

/** A record that decoded but cannot be turned into a domain event: it goes to the dead letters. */
public class UnprocessableEventException extends RuntimeException {
  public UnprocessableEventException(String message) {
    super(message);
  }
}
