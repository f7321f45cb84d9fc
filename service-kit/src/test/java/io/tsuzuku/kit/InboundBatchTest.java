package io.tsuzuku.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;

/**
 * The record a batch fails at is named to the error handler by itself, not by its place in the
 * list: the list the listener is given lacks the poll's records that were filtered (sent again for
 * another group) or parked before it, so a place would name another record of the poll.
 */
class InboundBatchTest {

  private final InboundBatch batches = new InboundBatch(ObservationRegistry.NOOP);

  @Test
  void aRecordThatFailsOnItsOwnIsNamedByItself() {
    var records = List.of(record(10, "event"), record(12, "other"), record(15, "other that fails"));

    var failure = catchThrowableOfType(BatchListenerFailedException.class, () -> batches.handle(records,
        (value, trace) -> value.equals("event") ? value : null, events -> {}, value -> {
          if (value.equals("other that fails")) {
            throw new IllegalStateException("the store is unreachable");
          }
        }));

    assertThat(failure.getRecord()).isSameAs(records.get(2));
  }

  @Test
  void anEventOfARunThatFailsIsNamedByItsRecord() {
    var records = List.of(record(20, "other"), record(21, "event a"), record(23, "event b"));
    var applied = new ArrayList<Object>();

    var failure = catchThrowableOfType(BatchListenerFailedException.class, () -> batches.handle(records,
        (value, trace) -> value.toString().startsWith("event") ? value : null, events -> {
          applied.addAll(events);
          throw new BatchFailedAt(1, new IllegalStateException("its contract is not registered yet"));
        }, value -> {}));

    assertThat(failure.getRecord()).isSameAs(records.get(2));
    assertThat(applied).containsExactly("event a", "event b");
  }

  private static ConsumerRecord<String, Object> record(long offset, Object value) {
    return new ConsumerRecord<>("payment-outcomes", 3, offset, "c-1", value);
  }
}
