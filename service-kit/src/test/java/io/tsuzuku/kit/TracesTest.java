package io.tsuzuku.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;

class TracesTest {

  private static final String W3C = "00-[0-9a-f]{32}-[0-9a-f]{16}-01";

  @Test
  void theCurrentSpanIsWhatAMessageCarriesOn() {
    var context = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getSampled(),
        TraceState.getDefault());
    try (var scope = Span.wrap(context).makeCurrent()) {
      assertThat(Traces.current()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
      assertThat(Traces.currentOrNew()).isEqualTo(Traces.current());
    }
  }

  @Test
  void withoutASpanAMessageStartsATraceOfItsOwn() {
    assertThat(Traces.current()).isNull();
    var first = Traces.currentOrNew();
    var second = Traces.currentOrNew();

    assertThat(first).matches(W3C);
    assertThat(second).matches(W3C);
    assertThat(first.split("-")[1]).isNotEqualTo(second.split("-")[1]);
  }

  @Test
  void workDoneWithinARecordsTraceCarriesThatTraceOn() {
    var header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    assertThat(Traces.within(header, Traces::current)).isEqualTo(header);
    assertThat(Traces.current()).isNull();
    assertThat(Traces.within(null, Traces::current)).isNull();
    assertThat(Traces.within("not-a-trace", Traces::current)).isNull();
  }
}
