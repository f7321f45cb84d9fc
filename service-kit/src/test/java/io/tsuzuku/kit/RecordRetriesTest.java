package io.tsuzuku.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.schemas.UnprocessableRecordException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.util.backoff.BackOffExecution;

/** A failure's meaning decides its retries: never, a few, or until it passes. */
class RecordRetriesTest {

  @Test
  void aStoreOrBrokerOutageIsRetriedWithoutLimitAtMostThirtySecondsApart() {
    var execution = RecordRetries.backOffFor(listenerFailure(new IllegalStateException("MongoDB is unreachable"))).start();

    long last = 0;
    for (int i = 0; i < 1_000; i++) {
      last = execution.nextBackOff();
      assertThat(last).as("try %d", i).isNotEqualTo(BackOffExecution.STOP);
    }
    assertThat(last).isEqualTo(RecordRetries.MAX_INTERVAL_MS);
  }

  @Test
  void anEventBeforeItsContractsRegistrationIsTriedAFewTimesInPlaceThenLeftToTheParking() {
    var execution = RecordRetries.backOffFor(listenerFailure(new UnknownContractException("c-1"))).start();

    for (int i = 0; i < 3; i++) {
      assertThat(execution.nextBackOff()).isNotEqualTo(BackOffExecution.STOP);
    }
    assertThat(execution.nextBackOff()).isEqualTo(BackOffExecution.STOP);
  }

  @Test
  void anUnprocessableRecordIsNotRetried() {
    var execution = RecordRetries.backOffFor(listenerFailure(new UnprocessableRecordException("unknown Cohort X"))).start();

    assertThat(execution.nextBackOff()).isEqualTo(BackOffExecution.STOP);
  }

  @Test
  void aRecordTypeTheListenerHasNoMethodForIsNotRetried() {
    var noMethod = new org.springframework.kafka.KafkaException("No method found for class io.tsuzuku.events.SomethingNew");

    assertThat(RecordRetries.backOffFor(listenerFailure(noMethod)).start().nextBackOff()).isEqualTo(BackOffExecution.STOP);
  }

  private static Exception listenerFailure(Exception cause) {
    return new ListenerExecutionFailedException("listener failed", cause);
  }
}
