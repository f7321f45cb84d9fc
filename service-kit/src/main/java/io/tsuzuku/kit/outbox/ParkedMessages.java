package io.tsuzuku.kit.outbox;

import java.time.Instant;
import java.util.List;

/** Outbox messages the relay could not publish, kept with the reason for an operator. */
public interface ParkedMessages {

  /** Keeps the message; parking the same message again keeps the first. */
  void park(OutboxMessage message, String reason, Instant at);

  /** The parked messages, oldest first, at most {@code limit}. */
  List<Parked> list(int limit);

  /** A parked message as an operator sees it. */
  record Parked(String id, String contractId, String type, String reason, Instant parkedAt) {}
}
