package io.tsuzuku.crmsync.adapter.in.kafka;

import static io.tsuzuku.kit.Symbols.known;

import io.tsuzuku.crmsync.application.StatusMirror;
import io.tsuzuku.crmsync.domain.ContractState;
import io.tsuzuku.crmsync.domain.Status;
import io.tsuzuku.events.ContractStatusChanged;
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
    var status = known(Status.class, c.getTo().name());
    return new ContractState(
        c.getHeader().getOrgId(), c.getHeader().getContractId(), c.getVersion(), status, c.getErrorSince(),
        c.getLastFailure() == null ? null : c.getLastFailure().getCode(),
        c.getNextRetry() == null ? null : c.getNextRetry().getAt());
  }
}
