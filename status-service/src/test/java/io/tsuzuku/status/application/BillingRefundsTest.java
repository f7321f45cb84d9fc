package io.tsuzuku.status.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.schemas.UnprocessableRecordException;
import io.tsuzuku.status.application.port.RefundsOwed;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Supporter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BillingRefundsTest {

  private static final Instant T0 = Instant.parse("2027-03-01T00:00:00Z");

  private final InMemoryContractStore store = new InMemoryContractStore();
  private final ContractEvents contracts = new ContractEvents(store, new NoMessages(), () -> {});
  private final List<String> kept = new ArrayList<>();
  private final java.util.Map<String, RefundOwed> owed = new java.util.HashMap<>();
  private final BillingRefunds refunds = new BillingRefunds(contracts, new RefundsOwed() {
    @Override
    public void record(RefundOwed refund) {
      kept.add("required " + refund.attemptId() + " for " + refund.orgId());
      owed.put(refund.attemptId(), refund);
    }

    @Override
    public Optional<RefundOwed> find(String orgId, String attemptId) {
      return Optional.ofNullable(owed.get(attemptId)).filter(r -> r.orgId().equals(orgId));
    }

    @Override
    public void issued(String attemptId, Instant at, String refundReference) {
      kept.add("issued " + attemptId);
    }

    @Override
    public void failed(String attemptId, Instant at, String refundReference, String failure) {
      kept.add("failed " + attemptId + ": " + failure);
    }

    @Override
    public Optional<RefundOwed> settle(String orgId, String attemptId, Instant at, String by) {
      kept.add("settled " + attemptId + " by " + by);
      return find(orgId, attemptId);
    }

    @Override
    public List<RefundOwed> ofOrganisation(String orgId) {
      throw new UnsupportedOperationException();
    }
  }, new NoMessages());

  @Test
  void aRefundIsListedForTheOrganisationItsContractBelongsTo() {
    register("c-1", "org-1");

    refunds.required(owed("c-1", "org-1"));
    refunds.failed("c-1", "org-1", "c-1:2027-03-01:MANUAL_RETRY:4", T0, "re_1", "expired_or_canceled_card");
    refunds.issued("c-1", "org-1", "c-1:2027-03-01:MANUAL_RETRY:4", T0, "re_1");

    assertThat(kept).containsExactly("required c-1:2027-03-01:MANUAL_RETRY:4 for org-1",
        "failed c-1:2027-03-01:MANUAL_RETRY:4: expired_or_canceled_card", "issued c-1:2027-03-01:MANUAL_RETRY:4");
  }

  /** A forged refund report would show another organisation a supporter's charge, or mark one refunded. */
  @Test
  void aRefundReportNamingAnotherOrganisationIsUnprocessableAndListsNothing() {
    register("c-1", "org-1");

    assertThatThrownBy(() -> refunds.required(owed("c-1", "org-2"))).isInstanceOf(UnprocessableRecordException.class);
    assertThatThrownBy(() -> refunds.issued("c-1", "org-2", "c-1:2027-03-01:MANUAL_RETRY:4", T0, "re_1"))
        .isInstanceOf(UnprocessableRecordException.class);
    assertThatThrownBy(() -> refunds.failed("c-1", "org-2", "c-1:2027-03-01:MANUAL_RETRY:4", T0, "re_1", "card closed"))
        .isInstanceOf(UnprocessableRecordException.class);
    assertThatThrownBy(() -> refunds.required(owed("c-unknown", "org-1"))).isInstanceOf(UnknownContractException.class);

    assertThat(kept).isEmpty();
  }

  /**
   * Billing is told of a settlement before the refund is marked settled (a crash between leaves it
   * owed in the list, never refunded twice), once however often the administrator settles it.
   */
  @Test
  void aSettlementIsToldToBillingOnceThroughTheContractsOutboxBeforeItIsMarked() {
    register("c-1", "org-1");
    refunds.required(owed("c-1", "org-1"));

    refunds.settle("org-1", "c-1:2027-03-01:MANUAL_RETRY:4", T0, "admin@org-1");
    refunds.settle("org-1", "c-1:2027-03-01:MANUAL_RETRY:4", T0, "admin@org-1");

    assertThat(store.documents.get("c-1").outbox()).extracting(m -> m.id())
        .containsExactly("refund-settled:c-1:2027-03-01:MANUAL_RETRY:4");
    assertThat(kept).endsWith("settled c-1:2027-03-01:MANUAL_RETRY:4 by admin@org-1");
    assertThat(refunds.settle("org-2", "c-1:2027-03-01:MANUAL_RETRY:4", T0, "admin@org-2")).as("another organisation's").isEmpty();
  }

  private void register(String contractId, String orgId) {
    contracts.register(Contract.register(contractId, orgId, Cohort.CURRENT, new Supporter("s", "n", "e@example.org"), 3000, T0), "reg-" + contractId);
  }

  private static RefundOwed owed(String contractId, String orgId) {
    return RefundOwed.required(contractId + ":2027-03-01:MANUAL_RETRY:4", contractId, orgId, LocalDate.of(2027, 3, 1), 3000,
        "pi_1", T0, "charged_after_cancellation", T0);
  }
}
