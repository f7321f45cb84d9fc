package io.tsuzuku.crmsync.adapter.in.kafka;

import static io.tsuzuku.kit.Symbols.known;

import io.tsuzuku.crmsync.application.StatusMirror;
import io.tsuzuku.crmsync.application.port.MirrorStore;
import io.tsuzuku.crmsync.domain.ContractState;
import io.tsuzuku.crmsync.domain.Status;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.schemas.UnprocessableRecordException;

/**
 * The one record the crm-sync-service consumes, a contract's status snapshot, mapped and kept if
 * newer: the one way a record reaches the service, whoever delivers it (the listener).
 */
public final class CrmSyncRecords {

  private final StatusMirror mirror;

  public CrmSyncRecords(StatusMirror mirror) {
    this.mirror = mirror;
  }

  /** The state a snapshot brings, in the trace given (it may be null); null for any other record. */
  public static MirrorStore.Incoming incoming(Object record, String traceParent) {
    if (!(record instanceof ContractStatusChanged c)) {
      return null;
    }
    return new MirrorStore.Incoming(new ContractState(
        c.getHeader().getOrgId(), c.getHeader().getContractId(), c.getVersion(), known(Status.class, c.getTo().name()),
        c.getErrorSince(), c.getLastFailure() == null ? null : c.getLastFailure().getCode(),
        c.getNextRetry() == null ? null : c.getNextRetry().getAt(), c.getLastRepaymentRequestOn(), c.getRepaymentRequestsSent(),
        c.getPaymentMethodUpdatedAt()),
        traceParent);
  }

  /** @throws UnprocessableRecordException for any other record type */
  public void handle(Object record) {
    var incoming = incoming(record, null);
    if (incoming == null) {
      throw new UnprocessableRecordException("the crm-sync-service has no handling for record type " + record.getClass().getName());
    }
    mirror.statusChanged(incoming.state());
  }
}
