package io.tsuzuku.crmsync.adapter.in.kafka;

import io.tsuzuku.crmsync.application.StatusMirror;
import io.tsuzuku.crmsync.domain.ContractState;
import io.tsuzuku.crmsync.domain.Status;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.schemas.UnprocessableRecordException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** The one topic this service consumes: each contract's status snapshot, kept if newer. */
@Component
class StatusChangedListener {

  private final StatusMirror mirror;

  StatusChangedListener(StatusMirror mirror) {
    this.mirror = mirror;
  }

  @KafkaListener(topics = "#{T(io.tsuzuku.schemas.Topics).CONTRACT_STATUS_CHANGED.name()}")
  void on(ContractStatusChanged changed) {
    mirror.statusChanged(state(changed));
  }

  static ContractState state(ContractStatusChanged c) {
    Status status;
    try {
      status = Status.valueOf(c.getTo().name());
    } catch (IllegalArgumentException e) {
      throw new UnprocessableRecordException("unknown ContractStatus " + c.getTo());
    }
    return new ContractState(
        c.getHeader().getOrgId(), c.getHeader().getContractId(), c.getVersion(), status, c.getErrorSince(),
        c.getLastFailure() == null ? null : c.getLastFailure().getCode(),
        c.getNextRetry() == null ? null : c.getNextRetry().getAt());
  }
}
