package io.tsuzuku.kit;

import io.opentelemetry.api.trace.Span;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The trace a message carries across topics, as the W3C {@code traceparent} header that the
 * services' listeners read (Kafka observations): saved with each outbox message while the record
 * that caused it is handled, and sent with it when the relay publishes it, later and on another
 * thread. So one contract's failure, its retries and their charges form one trace.
 */
public final class Traces {

  /** The record header that carries the trace. */
  public static final String HEADER = "traceparent";

  private Traces() {}

  /**
   * The {@code traceparent} of the span current on this thread, or of a new trace when there is
   * none (a scheduled run, a dispatch): what it causes downstream then shares that trace.
   */
  public static String currentOrNew() {
    var current = current();
    if (current != null) {
      return current;
    }
    var random = ThreadLocalRandom.current();
    return "00-%016x%016x-%016x-01".formatted(random.nextLong(), random.nextLong(), random.nextLong() | 1L);
  }

  /** The {@code traceparent} of the span current on this thread; null when there is none. */
  public static String current() {
    var context = Span.current().getSpanContext();
    if (!context.isValid()) {
      return null;
    }
    return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
  }
}
