package io.tsuzuku.kit;

/**
 * The event at {@code index} of a batch could not be applied (the cause says why); every event
 * before it was. Events after it may have been applied too: applied again, they are duplicates.
 * {@link InboundBatch} names its record to the container's error handler.
 */
public final class BatchFailedAt extends RuntimeException {

  private final int index;

  public BatchFailedAt(int index, RuntimeException cause) {
    super("event " + index + " of the batch failed: " + cause.getMessage(), cause);
    this.index = index;
  }

  public int index() {
    return index;
  }
}
