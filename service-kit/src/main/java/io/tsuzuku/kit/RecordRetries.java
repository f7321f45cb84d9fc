package io.tsuzuku.kit;

import io.tsuzuku.schemas.UnprocessableRecordException;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * How long a record whose handling failed is tried again, by what the failure means:
 * unprocessable records go to the dead-letter topic at once; an event about a contract not
 * registered yet is tried a few times in place (its registration travels on another topic), then
 * parked ({@link ParkedRecords}) and tried again for hours; anything else (MongoDB or the broker unreachable, a store that kept changing) is
 * transient and retried without limit, the partition waiting meanwhile, never dead-lettered by a
 * timer.
 */
public final class RecordRetries {

  /** The longest wait between two tries of a transient failure. */
  public static final long MAX_INTERVAL_MS = 30_000;

  private RecordRetries() {}

  public static BackOff backOffFor(Throwable failure) {
    if (causedBy(failure, UnprocessableRecordException.class) || noListenerMethodFor(failure)) {
      return new FixedBackOff(0, 0);
    }
    if (causedBy(failure, UnknownContractException.class)) {
      var backOff = new ExponentialBackOffWithMaxRetries(3); // then parked: its partition goes on
      backOff.setInitialInterval(200);
      backOff.setMultiplier(2);
      return backOff;
    }
    return transientBackOff();
  }

  /** Retried for ever: 0.2 s, doubling, at most {@link #MAX_INTERVAL_MS} apart. */
  public static BackOff transientBackOff() {
    var backOff = new ExponentialBackOff(200, 2);
    backOff.setMaxInterval(MAX_INTERVAL_MS);
    return backOff;
  }

  /**
   * Why a record was set aside, as operators read it on its dead letter: the rules it breaks when
   * it is unprocessable (a listener's check, or {@code RecordRules} at the deserializer, however
   * deep the container wrapped it), else the innermost cause's message.
   */
  public static String reasonOf(Throwable failure) {
    Throwable innermost = failure;
    for (var cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof UnprocessableRecordException) {
        return cause.getMessage();
      }
      innermost = cause;
    }
    return innermost.getMessage() != null ? innermost.getMessage() : innermost.getClass().getName();
  }

  /** A record type the listener has no method for (a newer writer's type): no retry can help. */
  private static boolean noListenerMethodFor(Throwable failure) {
    for (var cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof KafkaException && cause.getMessage() != null && cause.getMessage().startsWith("No method found for")) {
        return true;
      }
    }
    return false;
  }

  static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (var cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
