package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.HistoryEntry;
import java.time.Instant;
import java.util.List;

/**
 * The applied outcomes of manual retries of an organisation: each failure (MANUAL_RETRY_FAILED)
 * and each success by the manual-retry path.
 */
@FunctionalInterface
public interface ManualRetryHistory {
  List<HistoryEntry> manualRetryOutcomes(String orgId, Instant from, Instant until);
}
