package io.tsuzuku.billing.adapter.in.web;

import io.tsuzuku.billing.application.ChargeAttempts;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * For operators: the charges whose outcome has been unknown for longer than
 * {@code tsuzuku.billing.reconcile.stuck-after} ({@code GET /actuator/stuckcharges}). Reconciliation
 * keeps reading them from the processor; none is charged again blind.
 */
@Component
@Endpoint(id = "stuckcharges")
class StuckChargesEndpoint {

  /** One charge whose outcome is unknown. */
  record StuckCharge(String attemptId, String contractId, String orgId, String kind, LocalDate period, long amountYen,
      Instant claimedAt) {}

  private final ChargeAttempts attempts;

  StuckChargesEndpoint(ChargeAttempts attempts) {
    this.attempts = attempts;
  }

  @ReadOperation
  List<StuckCharge> stuck() {
    return attempts.stuck().stream()
        .map(a -> new StuckCharge(a.attemptId(), a.contractId(), a.orgId(), a.kind().name(), a.period(), a.amountYen(), a.createdAt()))
        .toList();
  }
}
