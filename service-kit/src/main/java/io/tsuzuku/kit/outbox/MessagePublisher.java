package io.tsuzuku.kit.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Publishes messages together and returns once the broker acknowledged them, or the wait for
 * their acknowledgements ran out: one wait for all, so a batch costs about one round trip.
 */
@FunctionalInterface
public interface MessagePublisher {

  /**
   * Publishes {@code messages} in their order (the messages of one contract keep it on their
   * partition) and waits for all their acknowledgements together, at most the publisher's timeout.
   *
   * @return what came of each message, in the same order
   */
  List<Outcome> publish(List<OutboxMessage> messages);

  /** What came of one message. */
  sealed interface Outcome {
    /** The broker acknowledged it. */
    record Acknowledged() implements Outcome {}

    /** No retry can publish it (unknown type, undecodable payload). */
    record Unpublishable(String reason) implements Outcome {}

    /** Not acknowledged for a passing reason (the broker): published again later. */
    record Failed(RuntimeException cause) implements Outcome {}

    Outcome ACKNOWLEDGED = new Acknowledged();
  }

  /**
   * A publisher that hands each message to {@code publish} in turn: a message is acknowledged
   * when it returns, unpublishable when it throws {@link UnpublishableMessageException}, failed
   * when it throws anything else (and so are the messages after it, which are not tried).
   */
  static MessagePublisher oneByOne(Consumer<OutboxMessage> publish) {
    return messages -> {
      var outcomes = new ArrayList<Outcome>();
      RuntimeException failure = null;
      for (var message : messages) {
        if (failure != null) {
          outcomes.add(new Outcome.Failed(failure));
          continue;
        }
        try {
          publish.accept(message);
          outcomes.add(Outcome.ACKNOWLEDGED);
        } catch (UnpublishableMessageException e) {
          outcomes.add(new Outcome.Unpublishable(e.getMessage()));
        } catch (RuntimeException e) {
          failure = e;
          outcomes.add(new Outcome.Failed(e));
        }
      }
      return outcomes;
    };
  }
}
