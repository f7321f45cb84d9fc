package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.HistoryEntry;
import java.util.List;

/** Reads a contract's history, oldest first. */
@FunctionalInterface
public interface HistoryReader {
  List<HistoryEntry> historyOf(String contractId);
}
