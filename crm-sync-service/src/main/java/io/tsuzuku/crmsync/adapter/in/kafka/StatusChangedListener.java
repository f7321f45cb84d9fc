package io.tsuzuku.crmsync.adapter.in.kafka;

import io.tsuzuku.crmsync.application.StatusMirror;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** The one topic this service consumes: each contract's status snapshot, kept if newer ({@link CrmSyncRecords}). */
@Component
class StatusChangedListener {

  private final CrmSyncRecords records;

  StatusChangedListener(StatusMirror mirror) {
    this.records = new CrmSyncRecords(mirror);
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_STATUS_CHANGED.name()}")
  void on(SpecificRecord record) {
    records.handle(record);
  }
}
