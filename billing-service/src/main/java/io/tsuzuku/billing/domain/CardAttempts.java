package io.tsuzuku.billing.domain;

import io.tsuzuku.schemas.AttemptBudget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The card networks' attempt budget ({@link AttemptBudget}) counted per card across every contract
 * that charges it: a supporter who gives one card to three contracts has one budget, not three
 * (docs/ledger.md, "The attempt budget"). A place is held by each attempt at the processor and by
 * each that failed there, whatever the class (the issuer's "try again later" answers are classed as
 * the processor's errors, and an organisation may class a decline its own way); an attempt that
 * succeeded, that never reached the processor, or that the ledger did not make gives its place
 * back. The {@link Ledger} reserves the place as its last check before it claims a charge. A place
 * whose attempt died before its claim or its outcome was saved stays taken until it leaves the
 * window: counting one attempt too many refuses a charge, one too few could break the networks' rule.
 */
public interface CardAttempts {

  /** For tests of the ledger alone: every card always has room. */
  CardAttempts UNCOUNTED = new CardAttempts() {
    @Override
    public boolean reserve(String orgId, String card, String attemptId, Instant at) {
      return true;
    }

    @Override
    public void release(String orgId, String card, String attemptId) {}
  };

  /**
   * Holds a place for {@code attemptId} among the card's attempts of the window up to {@code at},
   * if the budget allows one more; true when the attempt holds a place (now or from before).
   */
  boolean reserve(String orgId, String card, String attemptId, Instant at);

  /** Gives back the place of an attempt that does not count: not made, succeeded, or failed at the processor. */
  void release(String orgId, String card, String attemptId);

  /** One attempt counted on a card. */
  record Place(String attemptId, Instant at) {}

  /** Whether a finished attempt keeps its place: it failed at the processor. */
  static boolean counts(Attempt attempt) {
    return attempt.state() == Attempt.State.FAILED && !Attempt.NOT_CHARGED.equals(attempt.failureCode());
  }

  /**
   * The card's places once {@code attemptId} holds one at {@code at}, those out of the window
   * dropped; null when the budget allows no more. A place taken after {@code at} (by an instance
   * whose clock is ahead) counts too. A card's places as one document's list, so a store changes
   * them with one guarded write.
   */
  static List<Place> reserved(List<Place> places, String attemptId, Instant at) {
    var kept = new ArrayList<Place>();
    for (var place : places) {
      if (place.attemptId().equals(attemptId)) {
        return places;
      }
      if (AttemptBudget.inWindow(place.at(), at)) {
        kept.add(place);
      }
    }
    if (!AttemptBudget.allowsAnother(kept.stream().map(Place::at).toList(), at)) {
      return null;
    }
    kept.add(new Place(attemptId, at));
    return kept;
  }
}
