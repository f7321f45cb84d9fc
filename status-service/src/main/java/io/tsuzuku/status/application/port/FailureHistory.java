package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.HistoryEntry;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The lines of an organisation's histories that start, mark and end a failure (the failures, the
 * end of the automatic retries, the recoveries and the cancellations), applied since an instant:
 * handed over one contract at a time, in time order, so that a reader holds one contract's lines,
 * never the organisation's.
 */
@FunctionalInterface
public interface FailureHistory {
  void eachContract(String orgId, Instant since, Consumer<List<HistoryEntry>> contractLines);
}
