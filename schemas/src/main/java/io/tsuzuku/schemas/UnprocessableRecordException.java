package io.tsuzuku.schemas;

/**
 * A record that decoded but that a consumer cannot turn into a fact it understands (for example an
 * enum symbol read as UNKNOWN because a newer writer added it). Retrying cannot help: the record
 * goes to its topic's dead-letter topic at once.
 */
public class UnprocessableRecordException extends RuntimeException {
  public UnprocessableRecordException(String message) {
    super(message);
  }
}
