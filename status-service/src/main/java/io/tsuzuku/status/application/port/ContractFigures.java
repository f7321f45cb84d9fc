package io.tsuzuku.status.application.port;

import io.tsuzuku.status.application.Summary.Figure;
import io.tsuzuku.status.domain.Status;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Counts an organisation's contracts in one pass over them, not one per figure. */
@FunctionalInterface
public interface ContractFigures {

  /**
   * @param errorSinceBounds ascending instants cutting ERROR contracts by their errorSince into
   *     {@code errorSinceBounds.size() + 1} bands, the oldest first
   * @param retryOnFrom first date of pending manual retries to count, by date
   * @param retryOnTo last date (inclusive)
   */
  Counts count(String orgId, List<Instant> errorSinceBounds, LocalDate retryOnFrom, LocalDate retryOnTo);

  /** @param errorBands one figure per band, the oldest first */
  record Counts(Map<Status, Figure> byStatus, List<Figure> errorBands, Map<LocalDate, Figure> manualRetries) {}
}
