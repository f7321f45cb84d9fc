package io.tsuzuku.status.adapter.out.kafka;

import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.StatusChangeReason;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Supporter;
import io.tsuzuku.status.domain.Trigger;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AvroMessageFactoryTest {

  @ParameterizedTest
  @EnumSource(Trigger.class)
  void everyTriggerHasAReasonOtherSystemsUnderstand(Trigger trigger) {
    assertThat(AvroMessageFactory.reason(trigger)).isNotEqualTo(StatusChangeReason.UNKNOWN);
  }

  @Test
  void aRegistrationIsPublishedAsTheFirstSnapshotAndSurvivesTheOutbox() {
    var at = Instant.parse("2026-11-01T00:00:00Z");
    var contract = Contract.register("c-1", "org-1", Cohort.LEGACY, new Supporter("s", "n", "e@example.org"), 5000, at);

    var message = new AvroMessageFactory().registered(contract, "e-1").get(0);
    var snapshot = (ContractStatusChanged) KafkaMessagePublisher.decode(message);

    assertThat(snapshot.getHeader().getEventId()).isEqualTo(message.id());
    assertThat(snapshot.getHeader().getCausationId()).isEqualTo("e-1");
    assertThat(snapshot.getFrom()).isNull();
    assertThat(snapshot.getTo().name()).isEqualTo("ACTIVE");
    assertThat(snapshot.getReason()).isEqualTo(StatusChangeReason.REGISTERED);
    assertThat(snapshot.getCohort().name()).isEqualTo("LEGACY");
    assertThat(snapshot.getAmountYen()).isEqualTo(5000);
    assertThat(snapshot.getStatusSince()).isEqualTo(at);
  }
}
