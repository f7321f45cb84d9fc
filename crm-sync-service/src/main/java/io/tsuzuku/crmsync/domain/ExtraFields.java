package io.tsuzuku.crmsync.domain;

import java.util.Objects;
import java.util.stream.Stream;

/**
 * The optional fields a reconfigured integration writes (API names; null: not written): since
 * when the contract is in ERROR (DateTime), the last failure's code (Text), the next retry's date
 * in Asia/Tokyo (Date), the date of the last re-payment request sent to the supporter (Date),
 * how many were sent (Number) and when the supporter last gave a new card (DateTime).
 */
public record ExtraFields(String errorSince, String lastFailure, String nextRetry, String lastRepaymentRequest,
    String repaymentRequests, String cardUpdated) {

  public static final ExtraFields NONE = new ExtraFields(null, null, null, null, null, null);

  /** The three fields of the first version, without the re-payment requests' and the card's. */
  public ExtraFields(String errorSince, String lastFailure, String nextRetry) {
    this(errorSince, lastFailure, nextRetry, null, null, null);
  }

  /** The fields named, in the order of the record. */
  public Stream<String> named() {
    return Stream.of(errorSince, lastFailure, nextRetry, lastRepaymentRequest, repaymentRequests, cardUpdated)
        .filter(Objects::nonNull);
  }
}
