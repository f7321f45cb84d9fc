package io.tsuzuku.kit;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

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

  /**
   * Runs {@code work} with the trace {@code traceParent} current on this thread, as when a record
   * with that header is handled on its own: what a batch of records causes stays in each record's
   * trace. A missing or malformed value runs it in whatever trace is current.
   */
  public static <T> T within(String traceParent, Supplier<T> work) {
    var parts = traceParent == null ? new String[0] : traceParent.split("-");
    if (parts.length != 4) {
      return work.get();
    }
    var context = SpanContext.createFromRemoteParent(
        parts[1], parts[2], TraceFlags.fromHex(parts[3], 0), TraceState.getDefault());
    if (!context.isValid()) {
      return work.get();
    }
    try (var scope = Context.current().with(Span.wrap(context)).makeCurrent()) {
      return work.get();
    }
  }

  /**
   * An observation, not started yet (a span once started, where tracing is on) in the trace {@code traceParent}, as a
   * child of the span it names; a new trace where it is null. For work done for several records at
   * once (a poll's events, a batch of Salesforce writes): each record's part in its own trace.
   *
   * @param name the measure's name (a timer); {@code contextualName} the span's
   */
  public static Observation observation(ObservationRegistry registry, String name, String contextualName, String traceParent) {
    var context = new ReceiverContext<Map<String, String>>((carrier, key) -> carrier.get(key));
    context.setCarrier(traceParent == null ? Map.of() : Map.of(HEADER, traceParent));
    return Observation.createNotStarted(name, () -> context, registry).contextualName(contextualName);
  }
}
