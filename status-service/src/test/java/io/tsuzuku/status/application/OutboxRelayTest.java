package io.tsuzuku.status.application;

import io.tsuzuku.kit.outbox.MessagePublisher;
import io.tsuzuku.kit.outbox.OutboxRelay;
import io.tsuzuku.kit.outbox.OutboxMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.status.application.port.MessageFactory;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Attempt;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Outcome;
import io.tsuzuku.status.domain.Supporter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** State and messages are saved together; the relay publishes at least once, whatever fails. */
class OutboxRelayTest {

  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  private final InMemoryContractStore store = new InMemoryContractStore();
  private final List<OutboxMessage> published = new ArrayList<>();
  private boolean brokerUp = true;
  private final OutboxRelay<StoredContract> relay =
      OutboxRelay.sole(
          store,
          MessagePublisher.oneByOne(message -> {
            if (!brokerUp) {
              throw new IllegalStateException("broker down");
            }
            published.add(message);
          }));
  private final ContractEvents contracts = new ContractEvents(store, new OneMessagePerEffect(), () -> {});

  @Test
  void aServiceThatDiesBetweenTheStateChangeAndThePublicationPublishesAfterRestart() {
    register();
    contracts.apply("c-1", scheduledChargeFailed("e-2"));
    // the process dies here: nothing was relayed. A new process starts with the same store.
    var restarted = OutboxRelay.sole(store, MessagePublisher.oneByOne(published::add));

    restarted.relayPending();

    assertThat(published).extracting(OutboxMessage::type)
        .containsExactly("StatusChanged(null>ACTIVE)", "StatusChanged(ACTIVE>RETRYING)");
    assertThat(store.withPendingWork()).isEmpty();
    assertThat(store.history).hasSize(2);
  }

  @Test
  void anEventNamingAnotherOrganisationIsUnprocessableAndChangesNothing() {
    register();
    var before = store.load("c-1").orElseThrow();

    assertThatThrownBy(() -> contracts.apply("c-1", "org-other", scheduledChargeFailed("e-2")))
        .isInstanceOf(io.tsuzuku.schemas.UnprocessableRecordException.class)
        .hasMessageContaining("org-other");

    assertThat(store.load("c-1").orElseThrow()).isEqualTo(before);
  }

  @Test
  void messagesStayWhileTheBrokerIsDownAndGoOutOnceItIsBack() {
    register();
    contracts.apply("c-1", scheduledChargeFailed("e-2"));
    brokerUp = false;

    assertThatThrownBy(relay::relayPending).hasMessage("broker down");
    assertThat(store.withPendingWork()).singleElement().satisfies(d -> assertThat(d.outbox()).hasSize(2));

    brokerUp = true;
    relay.relayPending();

    assertThat(published).hasSize(2);
    assertThat(store.withPendingWork()).isEmpty();
  }

  @Test
  void messagesSavedWhileTheRelayPublishedAreKeptForTheNextPass() {
    register();
    var before = store.withPendingWork().get(0);
    contracts.apply("c-1", scheduledChargeFailed("e-2")); // written after the relay read

    store.clear(before);

    assertThat(store.withPendingWork()).singleElement()
        .satisfies(d -> assertThat(d.outbox()).extracting(OutboxMessage::type).containsExactly("StatusChanged(ACTIVE>RETRYING)"));
  }

  @Test
  void anEventDeliveredTwiceIsAppliedOnce() {
    register();

    var first = contracts.apply("c-1", scheduledChargeFailed("e-2"));
    var second = contracts.apply("c-1", scheduledChargeFailed("e-2"));
    relay.relayPending();

    assertThat(first).isEqualTo(ContractEvents.Result.APPLIED);
    assertThat(second).isEqualTo(ContractEvents.Result.DUPLICATE);
    assertThat(published).hasSize(2);
    assertThat(store.documents.get("c-1").contract().attemptsInPeriod()).isEqualTo(1);
  }

  @Test
  void aRejectedEventIsRecordedInTheHistoryAndPublishesNothing() {
    register();
    relay.relayPending();
    published.clear();

    var result = contracts.apply("c-1", new ContractEvent.ManualRetryWithdrawn("e-3", T0, Actor.administrator("admin@org-1")));
    relay.relayPending();

    assertThat(result).isEqualTo(ContractEvents.Result.REJECTED);
    assertThat(published).isEmpty();
    assertThat(store.history.get("c-1:e-3").reason()).contains("not allowed in status ACTIVE");
  }

  private void register() {
    var contract = Contract.register("c-1", "org-1", Cohort.CURRENT, new Supporter("s", "n", "e@example.org"), 3000, T0);
    assertThat(contracts.register(contract, "e-1")).isEqualTo(ContractEvents.Result.APPLIED);
  }

  private static ContractEvent scheduledChargeFailed(String eventId) {
    var period = LocalDate.of(2026, 11, 1);
    return new ContractEvent.PaymentFailed(
        eventId, T0, new Attempt("c-1:" + period + ":SCHEDULED:0", period, ChargeKind.SCHEDULED, 0), 3000,
        new Failure("expired_card", "HARD_DECLINE", T0));
  }

  /** Names each message after its effect, so tests read what was published. */
  private static final class OneMessagePerEffect implements MessageFactory {
    @Override
    public List<OutboxMessage> messagesFor(Outcome outcome) {
      return outcome.effects().stream()
          .map(effect -> new OutboxMessage(outcome.event().eventId() + effect, outcome.contract().contractId(), describe(effect), new byte[0]))
          .toList();
    }

    @Override
    public List<OutboxMessage> registered(Contract contract, String causationId) {
      return List.of(new OutboxMessage(causationId, contract.contractId(), "StatusChanged(null>ACTIVE)", new byte[0]));
    }

    @Override
    public OutboxMessage refundSettled(Contract contract, RefundOwed refund, String settledBy, java.time.Instant at, String eventId) {
      return new OutboxMessage(eventId, contract.contractId(), "RefundSettled(" + refund.attemptId() + " by " + settledBy + ")",
          new byte[0]);
    }

    private static String describe(io.tsuzuku.status.domain.Effect effect) {
      return effect instanceof io.tsuzuku.status.domain.Effect.StatusChanged changed
          ? "StatusChanged(" + changed.from() + ">" + changed.to() + ")"
          : effect.toString();
    }
  }
}
