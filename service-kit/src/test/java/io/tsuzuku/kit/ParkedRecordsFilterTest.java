package io.tsuzuku.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaUtils;

/** A record the parking sends again is for the group that parked it; every other group of ours skips it. */
class ParkedRecordsFilterTest {

  private final org.springframework.kafka.listener.adapter.RecordFilterStrategy<Object, Object> filter =
      new ParkedRecordsAutoConfiguration().parkedForAnotherGroup();

  @AfterEach
  void forgetTheGroup() {
    KafkaUtils.clearConsumerGroupId();
  }

  @Test
  void onlyTheGroupThatParkedARecordReadsItAgain() {
    var parkedForStatus = new ConsumerRecord<Object, Object>("payment-outcomes", 0, 7, "c-1", "value");
    parkedForStatus.headers().add(ParkedRecords.PARKED_FOR, "status-service".getBytes(StandardCharsets.UTF_8));
    var ordinary = new ConsumerRecord<Object, Object>("payment-outcomes", 0, 8, "c-1", "value");

    KafkaUtils.setConsumerGroupId("retry-service");
    assertThat(filter.filter(parkedForStatus)).as("skipped by another group").isTrue();
    assertThat(filter.filter(ordinary)).isFalse();
    KafkaUtils.setConsumerGroupId("status-service");
    assertThat(filter.filter(parkedForStatus)).as("read by the group that parked it").isFalse();
  }
}
