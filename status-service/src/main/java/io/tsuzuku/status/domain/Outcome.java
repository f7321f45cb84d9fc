package io.tsuzuku.status.domain;

import java.util.List;

/**
 * What an event did to a contract: applied (with the effects to publish), recorded without effect
 * (the contract is cancelled), or rejected with a reason. Every outcome goes into the history.
 */
public record Outcome(
    Contract contract, ContractEvent event, Result result, String reason, List<Effect> effects) {

  public enum Result {
    APPLIED,
    NO_EFFECT,
    REJECTED
  }

  static Outcome unchanged(Contract contract, ContractEvent event, Result result, String reason) {
    return new Outcome(contract, event, result, reason, List.of());
  }

  public boolean applied() {
    return result == Result.APPLIED;
  }
}
