package io.tsuzuku.status.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Effect;
import io.tsuzuku.status.domain.Outcome;
import io.tsuzuku.status.domain.Supporter;
import io.tsuzuku.status.domain.Trigger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A supporter's new card is passed on to billing once for every contract of theirs in the organisation. */
class CardUpdatesTest {

  private static final Instant T0 = Instant.parse("2027-03-01T00:00:00Z");

  private final InMemoryContractStore store = new InMemoryContractStore();
  /** Queues billing's card changes only, under their event's id, as the service's factory does. */
  private final ContractEvents contracts = new ContractEvents(store, new NoMessages() {
    @Override
    public List<OutboxMessage> messagesFor(Outcome outcome) {
      return outcome.effects().stream().filter(Effect.PaymentMethodChangeOrdered.class::isInstance)
          .map(e -> new OutboxMessage(outcome.event().eventId(), outcome.contract().contractId(), "PaymentMethodChangeRequested",
              new byte[0]))
          .toList();
    }
  }, () -> {});
  private final CardUpdates cards = new CardUpdates(contracts, (orgId, supporterId) -> store.documents.values().stream()
      .map(StoredContract::contract)
      .filter(c -> c.orgId().equals(orgId) && c.supporter() != null && c.supporter().supporterId().equals(supporterId))
      .sorted(java.util.Comparator.comparing(Contract::contractId))
      .toList(), new InMemorySupporterCards());

  @Test
  void everyContractOfTheSupporterInTheOrganisationButTheCancelledOnesIsToldOnce() {
    register("c-1", "org-1", "s-1");
    register("c-2", "org-1", "s-1");
    register("c-3", "org-1", "s-1");
    register("c-4", "org-1", "s-2");
    register("c-5", "org-2", "s-1");
    contracts.apply("c-3", "org-1", new ContractEvent.CancellationRequested("cancel-3", T0, Actor.DONATION_FORM, null));

    var told = cards.updated("update-1", "org-1", "c-2", "sealed.v1.token", T0);
    var again = cards.updated("update-1", "org-1", "c-2", "sealed.v1.token", T0);

    assertThat(told).extracting(CardUpdates.Change::contractId).containsExactly("c-1", "c-2");
    assertThat(again).isEqualTo(told);
    assertThat(told).extracting(CardUpdates.Change::eventId).doesNotHaveDuplicates().doesNotContain("update-1");
    assertThat(queued()).containsExactlyInAnyOrderElementsOf(told.stream().map(c -> c.contractId() + " " + c.eventId()).toList());
    assertThat(store.documents.values()).flatExtracting(StoredContract::pendingHistory)
        .filteredOn(line -> line.trigger().equals(Trigger.PAYMENT_METHOD_UPDATED.name()))
        .extracting(line -> line.contractId() + " " + line.eventId() + " " + line.to() + " " + line.actor())
        .containsExactlyInAnyOrder("c-1 " + told.get(0).eventId() + " ACTIVE supporter", "c-2 " + told.get(1).eventId() + " ACTIVE supporter");
    // the organisation's reports see when each contract's card was updated (docs/salesforce-mapping.md)
    assertThat(contracts.findAll(List.of("c-1", "c-2", "c-3", "c-4", "c-5")).values())
        .extracting(c -> c.contractId() + " " + c.paymentMethodUpdatedAt())
        .containsExactlyInAnyOrder("c-1 " + T0, "c-2 " + T0, "c-3 null", "c-4 null", "c-5 null");
  }

  /**
   * A contract the supporter applied for before the update, whose registration arrives after it,
   * takes the card once; one applied for after the update keeps the card it was registered with.
   */
  @Test
  void aContractRegisteredAfterTheUpdateTakesTheCardIfTheSupporterAppliedForItBefore() {
    register("c-1", "org-1", "s-1");
    cards.updated("update-1", "org-1", "c-1", "sealed.v1.token", T0.plusSeconds(3600));

    var lagging = register("c-2", "org-1", "s-1", T0);
    var newer = register("c-3", "org-1", "s-1", T0.plusSeconds(7200));
    var told = cards.registered(List.of(lagging, newer));
    var again = cards.registered(List.of(lagging));

    assertThat(told).extracting(CardUpdates.Change::contractId).containsExactly("c-2");
    assertThat(again).isEqualTo(told);
    assertThat(queued()).filteredOn(m -> m.startsWith("c-2 ")).containsExactly("c-2 " + told.get(0).eventId());
    assertThat(queued()).noneMatch(m -> m.startsWith("c-3 "));
  }

  /** Two updates handled in the other order: the contract says when the latest card was given, as billing keeps that card. */
  @Test
  void anOlderUpdateHandledLateLeavesTheTimeOfTheLatestCard() {
    register("c-1", "org-1", "s-1");
    cards.updated("update-2", "org-1", "c-1", "sealed.v1.newer", T0.plusSeconds(3600));
    cards.updated("update-1", "org-1", "c-1", "sealed.v1.older", T0);

    assertThat(contracts.find("c-1").orElseThrow().paymentMethodUpdatedAt()).isEqualTo(T0.plusSeconds(3600));
  }

  @Test
  void anUpdateFromAnUnknownContractWaitsAndOneNamingAnotherOrganisationChangesNothing() {
    register("c-1", "org-1", "s-1");

    assertThatThrownBy(() -> cards.updated("update-1", "org-1", "c-9", "sealed.v1.token", T0))
        .isInstanceOf(UnknownContractException.class);
    assertThatThrownBy(() -> cards.updated("update-2", "org-2", "c-1", "sealed.v1.token", T0))
        .isInstanceOf(ForeignOrganisationException.class);
    assertThat(queued()).isEmpty();
  }

  /** The changes queued for billing, as "contract change-id". */
  private List<String> queued() {
    return store.documents.values().stream().flatMap(d -> d.outbox().stream())
        .filter(m -> m.type().equals("PaymentMethodChangeRequested"))
        .map(m -> m.contractId() + " " + m.id())
        .toList();
  }

  private void register(String contractId, String orgId, String supporterId) {
    register(contractId, orgId, supporterId, T0);
  }

  private Contract register(String contractId, String orgId, String supporterId, Instant appliedAt) {
    var contract = Contract.register(contractId, orgId, Cohort.CURRENT,
        new Supporter(supporterId, "n", supporterId + "@example.org"), 3000, appliedAt);
    contracts.register(contract, "reg-" + contractId);
    return contract;
  }
}
