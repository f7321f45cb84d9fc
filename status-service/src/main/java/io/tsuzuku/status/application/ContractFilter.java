package io.tsuzuku.status.application;

import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Status;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Which contracts of an organisation an administrator means. Every part is optional (null: any).
 *
 * @param errorSinceFrom in ERROR since this instant or later
 * @param errorSinceBefore in ERROR since before this instant (the API's errorFor and
 *     errorSinceBefore both become this)
 * @param finalNoticeSent true: a final notice was sent; false: none was
 * @param manualRetryOn a manual retry is pending for this date
 */
public record ContractFilter(
    Status status,
    Instant errorSinceFrom,
    Instant errorSinceBefore,
    Boolean finalNoticeSent,
    Cohort cohort,
    LocalDate manualRetryOn) {

  public static final ContractFilter ANY = new ContractFilter(null, null, null, null, null, null);

  /** The contracts in {@code status}. */
  public static ContractFilter inStatus(Status status) {
    return new ContractFilter(status, null, null, null, null, null);
  }

  /** What a store's query must answer, stated once for the stores that filter in memory. */
  public boolean matches(Contract c) {
    return (status == null || c.status() == status)
        && (errorSinceFrom == null || (c.errorSince() != null && !c.errorSince().isBefore(errorSinceFrom)))
        && (errorSinceBefore == null || (c.errorSince() != null && c.errorSince().isBefore(errorSinceBefore)))
        && (finalNoticeSent == null || finalNoticeSent == (c.lastFinalNoticeOn() != null))
        && (cohort == null || c.cohort() == cohort)
        && (manualRetryOn == null
            || (c.pendingManualRetry() != null && manualRetryOn.equals(c.pendingManualRetry().retryOn())));
  }
}
