package io.tsuzuku.status.application;

import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.status.application.port.SupporterCards;
import io.tsuzuku.status.application.port.SupporterContracts;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A supporter's new card reaches every contract of theirs in the organisation (docs/product.md, "One
 * new card for every contract"). The supporter gives it once, from one contract; this service alone
 * knows who the supporter is, so it finds their other contracts and tells billing, contract by
 * contract, to take the card: each contract applies {@link ContractEvent.PaymentMethodUpdated},
 * which queues {@code PaymentMethodChangeRequested} in its outbox, moves its snapshot (when its
 * card was updated, for the organisation's reports) and makes a line in its history. Billing
 * decides what the card pays: the outstanding period of a RETRYING or ERROR contract, once; an
 * ACTIVE contract's next charge.
 *
 * <p>The supporter's latest card is kept ({@link SupporterCards}) for contracts of theirs whose
 * registration arrives after the update. The token travels on sealed for billing: this service
 * cannot read it. Each contract's change has an id of its own made from the update's and the
 * contract's, so an update delivered again, or handled again after a crash half-way, or met again
 * by a registration, tells no contract twice.
 */
public final class CardUpdates {

  private final ContractEvents contracts;
  private final SupporterContracts supporters;
  private final SupporterCards cards;

  public CardUpdates(ContractEvents contracts, SupporterContracts supporters, SupporterCards cards) {
    this.contracts = contracts;
    this.supporters = supporters;
    this.cards = cards;
  }

  /** A change of one contract: the id billing's charge is caused by, and the contract it is for. */
  public record Change(String eventId, String contractId) {}

  /**
   * The supporter updated the card from {@code contractId}: every contract of theirs in the
   * organisation but the cancelled ones is told to take it.
   *
   * @param sealedToken the new card's token, sealed for billing and bound to {@code contractId}
   * @return the changes told, in contract-id order (those told before included)
   * @throws UnknownContractException when the contract is not registered (yet): the caller retries
   * @throws ForeignOrganisationException when the contract belongs to another organisation
   */
  public List<Change> updated(String eventId, String orgId, String contractId, String sealedToken, Instant at) {
    var from = contracts.find(contractId).orElseThrow(() -> new UnknownContractException(contractId));
    if (!from.orgId().equals(orgId)) {
      throw new ForeignOrganisationException(contractId, from.orgId(), orgId);
    }
    if (from.supporter() == null) {
      return tell(List.of(from), new SupporterCards.Given(orgId, null, eventId, contractId, sealedToken, at));
    }
    // kept before the supporter's contracts are read: a contract registered meanwhile finds it (registered)
    var given = new SupporterCards.Given(orgId, from.supporter().supporterId(), eventId, contractId, sealedToken, at);
    cards.keep(given);
    return tell(supporters.of(orgId, given.supporterId()), given);
  }

  /**
   * Contracts just registered (or registered again) take their supporter's latest new card, if
   * the supporter gave it after applying for the contract: its registration may reach this service
   * after the update did.
   */
  public List<Change> registered(List<Contract> registered) {
    var changes = new ArrayList<Change>();
    registered.stream().filter(c -> c.supporter() != null).collect(Collectors.groupingBy(Contract::orgId))
        .forEach((orgId, ofOrganisation) -> {
          var latest = cards.latest(orgId, ofOrganisation.stream().map(c -> c.supporter().supporterId()).distinct().toList());
          for (var contract : ofOrganisation) {
            var given = latest.get(contract.supporter().supporterId());
            if (given != null && given.at().isAfter(contract.statusSince())) {
              changes.addAll(tell(List.of(contract), given));
            }
          }
        });
    return changes;
  }

  /** Tells each of the contracts but the cancelled ones to take the card. */
  private List<Change> tell(List<Contract> told, SupporterCards.Given given) {
    var changes = new ArrayList<Change>();
    for (var contract : told) {
      if (contract.status() == Status.CANCELLED) {
        continue;
      }
      var change = new Change(changeId(given.updateId(), contract), contract.contractId());
      var result = contracts.apply(contract.contractId(), new ContractEvent.PaymentMethodUpdated(change.eventId(), given.at(),
          given.updateId(), given.updatedFrom(), given.sealedToken()));
      if (result == ContractEvents.Result.APPLIED || result == ContractEvents.Result.DUPLICATE) { // not one cancelled meanwhile
        changes.add(change);
      }
    }
    return changes;
  }

  private static String changeId(String updateId, Contract contract) {
    return UUID.nameUUIDFromBytes((updateId + "|" + contract.contractId()).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
