package io.tsuzuku.status.application.port;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Outcome;
import io.tsuzuku.status.application.RefundOwed;
import java.time.Instant;
import java.util.List;

/** Turns what happened to a contract into the messages other systems must receive. */
public interface MessageFactory {

  /** The messages of an applied event (none for a rejected one). */
  List<OutboxMessage> messagesFor(Outcome outcome);

  /** The first snapshot of a newly registered contract. */
  List<OutboxMessage> registered(Contract contract, String causationId);

  /** An administrator gave the refund back by hand, for billing: {@code RefundSettled} with {@code eventId}. */
  OutboxMessage refundSettled(Contract contract, RefundOwed refund, String settledBy, Instant at, String eventId);
}
