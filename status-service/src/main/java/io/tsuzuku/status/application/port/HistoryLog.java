package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.HistoryEntry;

/** The append-only history of every event applied to or rejected by a contract. */
@FunctionalInterface
public interface HistoryLog {
  /** Appends the entry; appending the same entry (same id) again changes nothing. */
  void append(HistoryEntry entry);
}
