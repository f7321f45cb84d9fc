package io.tsuzuku.status.application;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.status.application.port.MessageFactory;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Outcome;
import java.util.List;

/** A message factory for tests that look at the contracts and their history, not at what is published. */
class NoMessages implements MessageFactory {
  @Override
  public List<OutboxMessage> messagesFor(Outcome outcome) {
    return List.of();
  }

  @Override
  public List<OutboxMessage> registered(Contract contract, String causationId) {
    return List.of();
  }

  @Override
  public OutboxMessage refundSettled(Contract contract, RefundOwed refund, String settledBy, java.time.Instant at, String eventId) {
    return new OutboxMessage(eventId, contract.contractId(), "RefundSettled", new byte[0]);
  }
}
