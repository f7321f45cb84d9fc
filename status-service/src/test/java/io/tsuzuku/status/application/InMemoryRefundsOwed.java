package io.tsuzuku.status.application;

import io.tsuzuku.status.application.port.RefundsOwed;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The refunds owed in memory, one per attempt, with the MongoDB adapter's rules. */
public final class InMemoryRefundsOwed implements RefundsOwed {

  private final Map<String, RefundOwed> owed = new LinkedHashMap<>();

  @Override
  public synchronized void record(RefundOwed refund) {
    owed.putIfAbsent(refund.attemptId(), refund);
  }

  @Override
  public synchronized Optional<RefundOwed> find(String orgId, String attemptId) {
    return Optional.ofNullable(owed.get(attemptId)).filter(r -> r.orgId().equals(orgId));
  }

  @Override
  public synchronized void issued(String attemptId, Instant at, String refundReference) {
    owed.computeIfPresent(attemptId, (id, r) -> r.refundedAt() != null ? r : new RefundOwed(r.attemptId(), r.contractId(),
        r.orgId(), r.period(), r.amountYen(), r.processorReference(), r.chargedAt(), r.reason(), r.reportedAt(), at,
        refundReference, r.settledAt(), r.settledBy(), r.refundFailedAt(), r.refundFailure()));
  }

  @Override
  public synchronized void failed(String attemptId, Instant at, String refundReference, String failure) {
    owed.computeIfPresent(attemptId, (id, r) -> new RefundOwed(r.attemptId(), r.contractId(), r.orgId(), r.period(),
        r.amountYen(), r.processorReference(), r.chargedAt(), r.reason(), r.reportedAt(), r.refundedAt(), refundReference,
        r.settledAt(), r.settledBy(), at, failure));
  }

  @Override
  public synchronized Optional<RefundOwed> settle(String orgId, String attemptId, Instant at, String by) {
    return Optional.ofNullable(owed.computeIfPresent(attemptId, (id, r) -> !r.orgId().equals(orgId) || r.settledAt() != null ? r
        : new RefundOwed(r.attemptId(), r.contractId(), r.orgId(), r.period(), r.amountYen(), r.processorReference(),
            r.chargedAt(), r.reason(), r.reportedAt(), r.refundedAt(), r.refundReference(), at, by, r.refundFailedAt(),
            r.refundFailure())))
        .filter(r -> r.orgId().equals(orgId));
  }

  @Override
  public synchronized List<RefundOwed> ofOrganisation(String orgId) {
    return owed.values().stream().filter(r -> r.orgId().equals(orgId))
        .sorted(Comparator.comparing(RefundOwed::chargedAt).reversed()).toList();
  }
}
