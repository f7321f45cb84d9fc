package io.tsuzuku.kit;

import io.tsuzuku.schemas.Topic;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.tsuzuku.schemas.UnprocessableRecordException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * A batch listener's poll of records in their order: runs of contract events applied together
 * (a service reads their documents at once and writes them in one bulk write), any other record
 * handled on its own between them. A record that fails is named to the container's error handler ({@link
 * BatchListenerFailedException}, by the record itself: the list may lack records of the poll that
 * were filtered or parked before it) once every record before it is handled, so it is retried or
 * dead-lettered exactly as a record listener's would be (the service kit's error handler), and the
 * records after it come again.
 *
 * <p>Each contract event is observed on its own ({@code tsuzuku.event.applied}, a span in the
 * trace of the record's {@code traceparent}), as a record listener's observation would: the
 * messages it causes carry that span on.
 */
public final class InboundBatch {

  private static final LogAccessor LOG = new LogAccessor(InboundBatch.class);

  private final ObservationRegistry observations;

  public InboundBatch(ObservationRegistry observations) {
    this.observations = observations;
  }

  /**
   * @param toEvent the contract event a decoded value is, in the trace given (second argument);
   *     null when it is another kind of record
   * @param applyAll applies a run of events together; throws {@link BatchFailedAt} naming the
   *     first it could not apply
   * @param other handles a record that is no contract event; throws {@link
   *     UnprocessableRecordException} for a type it does not know
   */
  public <T> void handle(List<ConsumerRecord<String, Object>> records, BiFunction<Object, String, T> toEvent,
      Consumer<List<T>> applyAll, Consumer<Object> other) {
    var run = new Run<T>(records, applyAll);
    for (int i = 0; i < records.size(); i++) {
      var record = records.get(i);
      var observation = observation(record);
      T event;
      try (var scope = observation.openScope()) {
        event = toEvent.apply(decoded(record), Traces.current());
      } catch (RuntimeException e) { // undecodable, or decoded to something this service cannot understand
        observation.error(e).stop();
        run.apply();
        throw new BatchListenerFailedException(e.getMessage(), e, record);
      }
      if (event != null) {
        run.add(i, event, observation);
        continue;
      }
      try {
        run.apply();
      } catch (RuntimeException e) {
        observation.stop(); // not handled: an earlier record failed
        throw e;
      }
      try (var scope = observation.openScope()) {
        other.accept(record.value());
      } catch (RuntimeException e) {
        observation.error(e);
        throw new BatchListenerFailedException(e.getMessage(), e, record);
      } finally {
        observation.stop();
      }
    }
    run.apply();
  }

  /** Consecutive contract events, applied together. */
  private static final class Run<T> {
    private final List<ConsumerRecord<String, Object>> records;
    private final Consumer<List<T>> applyAll;
    private int start;
    private final List<T> events = new ArrayList<>();
    private final List<Observation> observed = new ArrayList<>();

    Run(List<ConsumerRecord<String, Object>> records, Consumer<List<T>> applyAll) {
      this.records = records;
      this.applyAll = applyAll;
    }

    void add(int index, T event, Observation observation) {
      if (events.isEmpty()) {
        start = index;
      }
      events.add(event);
      observed.add(observation);
    }

    void apply() {
      if (events.isEmpty()) {
        return;
      }
      try {
        applyAll.accept(events);
      } catch (BatchFailedAt failed) {
        observed.get(failed.index()).error(failed.getCause());
        throw new BatchListenerFailedException(failed.getMessage(), failed.getCause(), records.get(start + failed.index()));
      } catch (RuntimeException e) { // nothing of the run is known to be applied (the store unreachable)
        observed.get(0).error(e);
        throw new BatchListenerFailedException(e.getMessage(), e, records.get(start));
      } finally {
        observed.forEach(Observation::stop);
        events.clear();
        observed.clear();
      }
    }
  }

  private Observation observation(ConsumerRecord<String, Object> record) {
    var header = record.headers().lastHeader(Traces.HEADER);
    return Traces.observation(observations, "tsuzuku.event.applied", record.topic() + " receive",
        header == null ? null : new String(header.value(), StandardCharsets.UTF_8))
        .lowCardinalityKeyValue("topic", Topic.source(record.topic())) // a parked record's too
        .start();
  }

  /** The record's value; one the deserializer could not decode is unprocessable (its bytes go to the dead letters). */
  private static Object decoded(ConsumerRecord<String, Object> record) {
    var failed = SerializationUtils.getExceptionFromHeader(record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
    if (failed != null) { // the rules it breaks when it decoded but breaks the event contract
      throw new UnprocessableRecordException("undecodable record at offset " + record.offset() + ": "
          + RecordRetries.reasonOf(failed));
    }
    if (record.value() == null) {
      throw new UnprocessableRecordException("undecodable record at offset " + record.offset());
    }
    return record.value();
  }
}
