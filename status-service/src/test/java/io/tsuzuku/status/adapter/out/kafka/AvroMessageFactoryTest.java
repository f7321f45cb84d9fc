package io.tsuzuku.status.adapter.out.kafka;

import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.PaymentMethodChangeRequested;
import io.tsuzuku.events.RepaymentRequested;
import io.tsuzuku.events.StatusChangeReason;
import io.tsuzuku.schemas.RepaymentLinks;
import io.tsuzuku.standins.LocalSealingKeys;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Supporter;
import io.tsuzuku.status.domain.Trigger;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AvroMessageFactoryTest {

  @ParameterizedTest
  @EnumSource(Trigger.class)
  void everyTriggerHasAReasonOtherSystemsUnderstand(Trigger trigger) {
    assertThat(AvroMessageFactory.reason(trigger)).isNotEqualTo(StatusChangeReason.UNKNOWN);
  }

  @Test
  void aRegistrationIsPublishedAsTheFirstSnapshotAndSurvivesTheOutbox() {
    var at = Instant.parse("2026-11-01T00:00:00Z");
    var contract = Contract.register("c-1", "org-1", Cohort.LEGACY, new Supporter("s", "n", "e@example.org"), 5000, at);

    var message = new AvroMessageFactory().registered(contract, "e-1").get(0);
    var snapshot = (ContractStatusChanged) KafkaMessagePublisher.decode(message);

    assertThat(snapshot.getHeader().getEventId()).isEqualTo(message.id());
    assertThat(snapshot.getHeader().getCausationId()).isEqualTo("e-1");
    assertThat(snapshot.getFrom()).isNull();
    assertThat(snapshot.getTo().name()).isEqualTo("ACTIVE");
    assertThat(snapshot.getReason()).isEqualTo(StatusChangeReason.REGISTERED);
    assertThat(snapshot.getCohort().name()).isEqualTo("LEGACY");
    assertThat(snapshot.getAmountYen()).isEqualTo(5000);
    assertThat(snapshot.getStatusSince()).isEqualTo(at);
  }

  /**
   * A re-payment request carries what the mailer needs and the link's token: signed with the
   * status-service's key, it says the contract, the outstanding period and the expiry, and billing
   * holding the public key reads exactly that; the snapshot counts the request.
   */
  @Test
  void aRepaymentRequestCarriesALinkTokenBillingReadsAsMadeForItsContractAndPeriod() {
    var at = Instant.parse("2027-03-01T01:00:00Z");
    var period = java.time.LocalDate.of(2027, 2, 1);
    var contract = Contract.register("c-1", "org-1", Cohort.CURRENT, new Supporter("s", "n", "e@example.org"), 5000,
        at.minusSeconds(86_400 * 60));
    contract = contract.apply(new ContractEvent.PaymentFailed("f-1", at.minusSeconds(86_400 * 28),
        new io.tsuzuku.status.domain.Attempt("c-1:" + period, period, ChargeKind.SCHEDULED, 0), 5000,
        new Failure("card_declined", "SOFT_DECLINE", at.minusSeconds(86_400 * 28)))).contract();
    var expiresAt = at.plusSeconds(86_400 * 14);
    var outcome = contract.apply(new ContractEvent.RepaymentRequested("key:k:c-1", at, Actor.administrator("admin"),
        java.time.LocalDate.of(2027, 3, 1), expiresAt));

    var messages = new AvroMessageFactory(RepaymentLinks.Signer.of("key", LocalSealingKeys.REPAYMENT_LINK)).messagesFor(outcome)
        .stream().map(KafkaMessagePublisher::decode).toList();

    var request = (RepaymentRequested) messages.stream().filter(RepaymentRequested.class::isInstance).findFirst().orElseThrow();
    assertThat(request.getPeriod()).isEqualTo(period);
    assertThat(request.getAmountYen()).isEqualTo(5000);
    assertThat(request.getExpiresAt()).isEqualTo(expiresAt);
    assertThat(request.getSupporter().getEmail()).isEqualTo("e@example.org");
    assertThat(RepaymentLinks.Verifier.of("keys", LocalSealingKeys.REPAYMENT_LINK_PUBLIC).verify(request.getLinkToken()))
        .contains(new RepaymentLinks.Link(RepaymentLinks.linkIdOf("key:k:c-1"), "org-1", "c-1", period, expiresAt));
    var snapshot = (ContractStatusChanged) messages.stream().filter(ContractStatusChanged.class::isInstance).findFirst().orElseThrow();
    assertThat(snapshot.getReason()).isEqualTo(StatusChangeReason.REPAYMENT_REQUESTED);
    assertThat(snapshot.getRepaymentRequestsSent()).isEqualTo(1);
    assertThat(snapshot.getLastRepaymentRequestOn()).isEqualTo(java.time.LocalDate.of(2027, 3, 1));
  }

  /**
   * A supporter's new card reaches billing under the contract's own change id, caused by the
   * supporter's update, the token still sealed; the snapshot says when the card was updated.
   */
  @Test
  void aNewCardIsPassedOnToBillingUnderTheChangesIdAndMovesTheSnapshot() {
    var at = Instant.parse("2027-03-01T01:00:00Z");
    var contract = Contract.register("c-1", "org-1", Cohort.CURRENT, new Supporter("s", "n", "e@example.org"), 5000,
        at.minusSeconds(86_400 * 60));
    var outcome = contract.apply(new ContractEvent.PaymentMethodUpdated("change-1", at, "update-1", "c-2", "sealed.v1.token"));

    var messages = new AvroMessageFactory().messagesFor(outcome).stream().map(KafkaMessagePublisher::decode).toList();

    var change = (PaymentMethodChangeRequested) messages.stream().filter(PaymentMethodChangeRequested.class::isInstance)
        .findFirst().orElseThrow();
    assertThat(change.getHeader().getEventId()).isEqualTo("change-1");
    assertThat(change.getHeader().getCausationId()).isEqualTo("update-1");
    assertThat(change.getUpdatedFrom()).isEqualTo("c-2");
    assertThat(change.getPaymentMethodToken()).isEqualTo("sealed.v1.token");
    var snapshot = (ContractStatusChanged) messages.stream().filter(ContractStatusChanged.class::isInstance).findFirst().orElseThrow();
    assertThat(snapshot.getReason()).isEqualTo(StatusChangeReason.PAYMENT_METHOD_UPDATED);
    assertThat(snapshot.getTo()).isEqualTo(io.tsuzuku.events.ContractStatus.ACTIVE);
    assertThat(snapshot.getPaymentMethodUpdatedAt()).isEqualTo(at);
    assertThat(snapshot.getHeader().getEventId()).isNotEqualTo("change-1");
  }
}
