package io.tsuzuku.kit;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

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

  /**
   * Ends a batch written together: the events before {@code failedAt} whose document is not known
   * to be saved (another writer came first) are applied again on their own, in order; then the
   * first event that failed, if any, is thrown as a {@code BatchFailedAt}.
   *
   * @param failedAt the first event that could not be applied ({@code events.size()}: none)
   * @param failure why it could not (null: none)
   */
  public static <E> void settle(List<E> events, int failedAt, RuntimeException failure, Predicate<E> unsaved,
      Consumer<E> alone) {
    for (int i = 0; i < failedAt; i++) {
      var event = events.get(i);
      if (!unsaved.test(event)) {
        continue;
      }
      try {
        alone.accept(event);
      } catch (RuntimeException e) {
        failedAt = i; // the events before it are applied: those of its document just now, the others' in the batch
        failure = e;
        break;
      }
    }
    if (failure != null) {
      throw new BatchFailedAt(failedAt, failure);
    }
  }
}
