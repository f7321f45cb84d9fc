package io.tsuzuku.status.application;

import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.status.application.port.MessageFactory;
import io.tsuzuku.status.application.port.SupporterContracts;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A supporter's new card reaches every contract of theirs in the organisation (docs/product.md, "One
 * new card for every contract"). The supporter gives it once, from one contract; this service alone
 * knows who the supporter is, so it finds their other contracts and tells billing, contract by
 * contract, to take the card ({@code PaymentMethodChangeRequested}, through each contract's
 * outbox, with a line in its history). Billing decides what the card pays: the outstanding period
 * of a RETRYING or ERROR contract, once; an ACTIVE contract's next charge.
 *
 * <p>The token travels on sealed for billing: this service cannot read it. Each contract's change
 * has an id of its own made from the update's and the contract's, so an update delivered again, or
 * handled again after a crash half-way, tells no contract twice.
 */
public final class CardUpdates {

  private final ContractEvents contracts;
  private final SupporterContracts supporters;
  private final MessageFactory messages;

  public CardUpdates(ContractEvents contracts, SupporterContracts supporters, MessageFactory messages) {
    this.contracts = contracts;
    this.supporters = supporters;
    this.messages = messages;
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
    var changes = new ArrayList<Change>();
    for (var contract : from.supporter() == null ? List.of(from) : supporters.of(orgId, from.supporter().supporterId())) {
      if (contract.status() == Status.CANCELLED) {
        continue;
      }
      var change = new Change(changeId(eventId, contract), contract.contractId());
      contracts.tell(contract.contractId(), change.eventId(),
          told -> messages.paymentMethodChange(told, change.eventId(), eventId, contractId, sealedToken, at),
          told -> HistoryEntry.cardUpdated(told, change.eventId(), at));
      changes.add(change);
    }
    return changes;
  }

  private static String changeId(String updateId, Contract contract) {
    return UUID.nameUUIDFromBytes((updateId + "|" + contract.contractId()).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
