package io.tsuzuku.retry.domain;

import io.tsuzuku.calendar.BillingCalendar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What the retry service knows of a contract: its cohort and calendar (from its registration), its
 * latest status (from contract-status-changed), and the outstanding period it is retrying.
 *
 * @param status the latest status code published by the status service, null until one arrives
 * @param failureDay the Tokyo date of the failed scheduled charge of {@code period}, from which
 *     automatic retries are counted
 * @param lastRetryNumber the highest retry number scheduled for {@code period}
 * @param recentEventIds events already handled, for de-duplication
 */
public record ContractView(
    String contractId,
    String orgId,
    Cohort cohort,
    BillingCalendar calendar,
    ContractStatus status,
    LocalDate period,
    LocalDate failureDay,
    int lastRetryNumber,
    List<String> recentEventIds,
    long revision) {

  public enum Cohort {
    CURRENT,
    LEGACY
  }

  static final int REMEMBERED_EVENTS = 256;

  public ContractView {
    recentEventIds = List.copyOf(recentEventIds);
  }

  /**
   * Whether the contract may have jobs: every plan that schedules one records its period as
   * outstanding, which no event clears, so a stored view without one has never had a job; a view
   * not stored yet knows nothing.
   */
  public boolean mayHaveJobs() {
    return revision == 0 || period != null;
  }

  public boolean hasSeen(String eventId) {
    return recentEventIds.contains(eventId);
  }

  public ContractView withStatus(ContractStatus newStatus, String eventId) {
    return new ContractView(contractId, orgId, cohort, calendar, newStatus, period, failureDay, lastRetryNumber, seen(eventId), revision);
  }

  public ContractView withOutstanding(LocalDate newPeriod, LocalDate newFailureDay, int retryNumber, String eventId) {
    return new ContractView(contractId, orgId, cohort, calendar, status, newPeriod, newFailureDay, retryNumber, seen(eventId), revision);
  }

  public ContractView seenOnly(String eventId) {
    return new ContractView(contractId, orgId, cohort, calendar, status, period, failureDay, lastRetryNumber, seen(eventId), revision);
  }

  private List<String> seen(String eventId) {
    var ids = new ArrayList<>(recentEventIds);
    ids.add(eventId);
    return ids.subList(Math.max(0, ids.size() - REMEMBERED_EVENTS), ids.size());
  }
}
