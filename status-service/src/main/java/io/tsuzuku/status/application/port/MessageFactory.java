package io.tsuzuku.status.application.port;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Outcome;
import java.util.List;

/** Turns what happened to a contract into the messages other systems must receive. */
public interface MessageFactory {

  /** The messages of an applied event (none for a rejected one). */
  List<OutboxMessage> messagesFor(Outcome outcome);

  /** The first snapshot of a newly registered contract. */
  List<OutboxMessage> registered(Contract contract, String causationId);
}
