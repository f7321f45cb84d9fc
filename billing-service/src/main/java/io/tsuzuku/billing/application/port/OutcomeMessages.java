package io.tsuzuku.billing.application.port;

import io.tsuzuku.billing.domain.Ledger;
import io.tsuzuku.kit.outbox.OutboxMessage;
import java.util.List;

/** Turns the ledger's facts into the messages other systems receive, each with a stable event id. */
@FunctionalInterface
public interface OutcomeMessages {
  List<OutboxMessage> messagesFor(List<Ledger.Fact> facts);
}
