package io.tsuzuku.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.RetryScheduled;
import java.util.HashSet;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void theRegistryHoldsTheNineTopicsOfTheSpecificationTheSettlementsOfRefundsTheCardUpdatesAndTheRepaymentRequests() {
    assertThat(Topics.all())
        .extracting(Topic::name)
        .containsExactly(
            "contract-registered",
            "contract-cancellation-requested",
            "repayment-submitted",
            "payment-method-updated",
            "charge-requested",
            "payment-outcomes",
            "manual-retry-requested",
            "retry-events",
            "contract-status-changed",
            "final-notice-requested",
            "repayment-requested",
            "refund-settlements",
            "payment-method-changes");
  }

  @Test
  void eachRecordTypeBelongsToExactlyOneTopic() {
    var types = Topics.recordTypes();

    assertThat(new HashSet<>(types)).hasSameSizeAs(types).hasSize(21);
    assertThat(Topics.of(io.tsuzuku.events.RefundRequired.class)).isSameAs(Topics.PAYMENT_OUTCOMES);
    assertThat(Topics.of(PaymentFailed.class)).isSameAs(Topics.PAYMENT_OUTCOMES);
    assertThat(Topics.of(RetryScheduled.class)).isSameAs(Topics.RETRY_EVENTS);
  }

  @Test
  void aTypeOfNoTopicIsRefused() {
    assertThatThrownBy(() -> Topics.of(EventHeader.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("belongs to no topic");
  }

  @Test
  void everyEventStartsWithTheCommonHeader() {
    for (var type : Topics.recordTypes()) {
      var schema = SpecificData.get().getSchema(type);
      var first = schema.getFields().get(0);
      assertThat(first.name()).as(type.getSimpleName()).isEqualTo("header");
      assertThat(first.schema().getFullName()).isEqualTo(EventHeader.getClassSchema().getFullName());
    }
  }

  @Test
  void deadLetterTopicsAreNamedAfterTheirTopic() {
    assertThat(Topics.CHARGE_REQUESTED.deadLetterTopic()).isEqualTo("charge-requested-dlt");
    assertThat(Topics.byName("retry-events")).contains(Topics.RETRY_EVENTS);
    assertThat(Topics.byName("retry-events-dlt")).isEmpty();
  }

  @Test
  void singleTypeTopicsAreTypedByTheirRecord() {
    List<Topic<?>> single =
        Topics.all().stream().filter(topic -> topic.recordTypes().size() == 1).toList();

    assertThat(single)
        .allSatisfy(topic -> assertThat(topic.valueType()).isEqualTo(topic.recordTypes().get(0)));
  }
}
