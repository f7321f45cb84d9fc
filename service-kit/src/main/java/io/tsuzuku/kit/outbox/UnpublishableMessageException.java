package io.tsuzuku.kit.outbox;

/**
 * An outbox message that no retry can publish: its type is unknown here, or its payload does not
 * decode with its writer's schema. The relay parks it and goes on.
 */
public final class UnpublishableMessageException extends RuntimeException {

  public UnpublishableMessageException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
