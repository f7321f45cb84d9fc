package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.HistoryEntry;
import java.time.Instant;
import java.util.List;

/** The recoveries of an organisation: applied payment successes out of RETRYING or ERROR. */
@FunctionalInterface
public interface RecoveryHistory {
  List<HistoryEntry> recoveries(String orgId, Instant from, Instant until);
}
