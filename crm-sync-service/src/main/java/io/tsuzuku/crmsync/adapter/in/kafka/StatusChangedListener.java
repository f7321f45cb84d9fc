package io.tsuzuku.crmsync.adapter.in.kafka;

import io.micrometer.observation.ObservationRegistry;
import io.tsuzuku.crmsync.application.StatusMirror;
import io.tsuzuku.kit.InboundBatch;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The one topic this service consumes: each contract's status snapshot, kept if newer, a poll's
 * together ({@link StatusMirror#statusChangedAll}); each record mapped by {@link CrmSyncRecords}.
 */
@Component
class StatusChangedListener {

  private final CrmSyncRecords records;
  private final StatusMirror mirror;
  private final InboundBatch batches;

  StatusChangedListener(StatusMirror mirror, ObservationRegistry observations) {
    this.records = new CrmSyncRecords(mirror);
    this.mirror = mirror;
    this.batches = new InboundBatch(observations);
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_STATUS_CHANGED.withParkedTopic('${spring.application.name}')}", batch = "true")
  void on(List<ConsumerRecord<String, Object>> polled) {
    batches.handle(polled, CrmSyncRecords::incoming, mirror::statusChangedAll, records::handle);
  }
}
