package io.tsuzuku.status.application;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The answer to a bulk request: what happened (or, in a dry run, would happen) per contract. */
public record BulkResult(boolean dryRun, List<Item> items) {

  public enum Outcome {
    SCHEDULED,
    MOVED,
    WITHDRAWN,
    SENT,
    CANCELLED,
    SKIPPED,
    /** Not sent: the supporter's contact budget, or the quiet hours, held it back ({@link ContactBudget}). */
    HELD_BACK,
    REFUSED
  }

  /**
   * @param reason a machine-readable reason for SKIPPED and REFUSED (NOT_IN_ERROR, LEGACY_COHORT,
   *     UNKNOWN_CONTRACT, ATTEMPT_BUDGET_EXCEEDED, NEW_CARD_REQUIRED, DATE_OUT_OF_RANGE, RECENTLY_NOTIFIED,
   *     ALREADY_CANCELLED, CHANGED_MEANWHILE), and HELD_BACK (CONTACT_BUDGET, QUIET_HOURS)
   */
  public record Item(String contractId, Outcome outcome, String reason, String detail) {
    static Item done(String contractId, Outcome outcome) {
      return new Item(contractId, outcome, null, null);
    }

    static Item not(String contractId, Outcome outcome, String reason, String detail) {
      return new Item(contractId, outcome, reason, detail);
    }
  }

  public BulkResult {
    items = List.copyOf(items);
  }

  /** How many contracts got each outcome. */
  public Map<Outcome, Long> summary() {
    var counts = new TreeMap<Outcome, Long>();
    items.forEach(item -> counts.merge(item.outcome(), 1L, Long::sum));
    return counts;
  }
}
