package io.tsuzuku.status.application;

import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Status;
import java.time.Instant;

/**
 * Which contracts of an organisation an administrator means. Every part is optional (null: any).
 *
 * @param errorSinceBefore in ERROR since before this instant (the API's errorFor and
 *     errorSinceBefore both become this)
 * @param finalNoticeSent true: a final notice was sent; false: none was
 */
public record ContractFilter(
    Status status, Instant errorSinceBefore, Boolean finalNoticeSent, Cohort cohort) {

  public static final ContractFilter ANY = new ContractFilter(null, null, null, null);
}
