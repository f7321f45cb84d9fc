package io.tsuzuku.status.domain;

import static io.tsuzuku.status.domain.Status.ACTIVE;
import static io.tsuzuku.status.domain.Status.CANCELLED;
import static io.tsuzuku.status.domain.Status.ERROR;
import static io.tsuzuku.status.domain.Status.RETRYING;
import static io.tsuzuku.status.domain.Trigger.AUTOMATIC_RETRY_FAILED;
import static io.tsuzuku.status.domain.Trigger.CANCELLED_BY_ADMINISTRATOR;
import static io.tsuzuku.status.domain.Trigger.CANCELLED_BY_SUPPORTER;
import static io.tsuzuku.status.domain.Trigger.FINAL_NOTICE_SENT;
import static io.tsuzuku.status.domain.Trigger.REPAYMENT_REQUESTED;
import static io.tsuzuku.status.domain.Trigger.MANUAL_RETRY_FAILED;
import static io.tsuzuku.status.domain.Trigger.MANUAL_RETRY_REQUESTED;
import static io.tsuzuku.status.domain.Trigger.MANUAL_RETRY_WITHDRAWN;
import static io.tsuzuku.status.domain.Trigger.PAYMENT_METHOD_UPDATED;
import static io.tsuzuku.status.domain.Trigger.PAYMENT_SUCCEEDED;
import static io.tsuzuku.status.domain.Trigger.REPAYMENT_DEADLINE_PASSED;
import static io.tsuzuku.status.domain.Trigger.REPAYMENT_FAILED;
import static io.tsuzuku.status.domain.Trigger.RETRIES_EXHAUSTED;
import static io.tsuzuku.status.domain.Trigger.RETRY_SCHEDULED;
import static io.tsuzuku.status.domain.Trigger.SCHEDULED_CHARGE_FAILED;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The contract state machine of docs/state-machine.md, as data: (status, trigger) → status, with a named
 * guard. A pair that is not in the table is rejected with a reason. CANCELLED absorbs everything
 * (the event is recorded and has no effect). A legacy contract's deadline cancellation is billing's
 * verdict (docs/ledger.md, "Who decides what"): billing publishes it only when no re-payment it
 * accepted paid the period, so no success can follow it and no instants of two clocks are
 * compared here. A charge billing refused is recorded and changes nothing.
 *
 * <p>Facts of one failure travel on two topics (the failure on payment-outcomes, the retry
 * scheduler's plan and conclusion on retry-events) and may arrive in either order: a plan or an
 * exhaustion that comes before its failure applies to the unpaid period, and the failure that
 * follows is recorded in the status it found, so both orders end in the same state.
 */
public final class TransitionTable {

  /** One row of the table. */
  public record Rule(Status from, Trigger trigger, Status to, Guard guard) {}

  private static final List<Rule> RULES =
      List.of(
          rule(ACTIVE, SCHEDULED_CHARGE_FAILED, RETRYING, Guard.UNPAID_PERIOD),
          rule(ACTIVE, PAYMENT_SUCCEEDED, ACTIVE, Guard.UNPAID_PERIOD),
          // the retry scheduler's plan can arrive before the failure that caused it
          rule(ACTIVE, RETRY_SCHEDULED, ACTIVE, Guard.CURRENT_COHORT_UNPAID_PERIOD),
          // so can its conclusion, with no retry to wait for: ERROR, and the failure is recorded there
          rule(ACTIVE, RETRIES_EXHAUSTED, ERROR, Guard.CURRENT_COHORT_UNPAID_PERIOD),
          rule(ACTIVE, PAYMENT_METHOD_UPDATED, ACTIVE, Guard.ALWAYS),
          rule(ACTIVE, CANCELLED_BY_ADMINISTRATOR, CANCELLED, Guard.ALWAYS),
          rule(ACTIVE, CANCELLED_BY_SUPPORTER, CANCELLED, Guard.ALWAYS),
          rule(RETRYING, AUTOMATIC_RETRY_FAILED, RETRYING, Guard.CURRENT_COHORT_OUTSTANDING_PERIOD),
          rule(RETRYING, RETRIES_EXHAUSTED, ERROR, Guard.CURRENT_COHORT_OUTSTANDING_PERIOD),
          rule(RETRYING, REPAYMENT_DEADLINE_PASSED, CANCELLED, Guard.LEGACY_COHORT_OUTSTANDING_PERIOD),
          rule(RETRYING, PAYMENT_SUCCEEDED, ACTIVE, Guard.OUTSTANDING_PERIOD),
          rule(RETRYING, REPAYMENT_FAILED, RETRYING, Guard.OUTSTANDING_PERIOD),
          rule(RETRYING, RETRY_SCHEDULED, RETRYING, Guard.CURRENT_COHORT_OUTSTANDING_PERIOD),
          rule(RETRYING, REPAYMENT_REQUESTED, RETRYING, Guard.PERIOD_OUTSTANDING),
          rule(RETRYING, PAYMENT_METHOD_UPDATED, RETRYING, Guard.ALWAYS),
          rule(RETRYING, CANCELLED_BY_ADMINISTRATOR, CANCELLED, Guard.ALWAYS),
          rule(RETRYING, CANCELLED_BY_SUPPORTER, CANCELLED, Guard.ALWAYS),
          rule(ERROR, PAYMENT_SUCCEEDED, ACTIVE, Guard.OUTSTANDING_PERIOD),
          rule(ERROR, SCHEDULED_CHARGE_FAILED, ERROR, Guard.OUTSTANDING_PERIOD),
          rule(ERROR, AUTOMATIC_RETRY_FAILED, ERROR, Guard.CURRENT_COHORT_OUTSTANDING_PERIOD),
          rule(ERROR, MANUAL_RETRY_FAILED, ERROR, Guard.OUTSTANDING_PERIOD),
          rule(ERROR, REPAYMENT_FAILED, ERROR, Guard.OUTSTANDING_PERIOD),
          rule(ERROR, RETRY_SCHEDULED, ERROR, Guard.CURRENT_COHORT_OUTSTANDING_PERIOD),
          rule(ERROR, MANUAL_RETRY_REQUESTED, ERROR, Guard.CURRENT_COHORT_CARD_WITHIN_ATTEMPT_BUDGET),
          rule(ERROR, MANUAL_RETRY_WITHDRAWN, ERROR, Guard.PENDING_MANUAL_RETRY),
          rule(ERROR, FINAL_NOTICE_SENT, ERROR, Guard.ALWAYS),
          rule(ERROR, REPAYMENT_REQUESTED, ERROR, Guard.PERIOD_OUTSTANDING),
          rule(ERROR, PAYMENT_METHOD_UPDATED, ERROR, Guard.ALWAYS),
          rule(ERROR, CANCELLED_BY_ADMINISTRATOR, CANCELLED, Guard.ALWAYS),
          rule(ERROR, CANCELLED_BY_SUPPORTER, CANCELLED, Guard.ALWAYS));

  private static final Map<Status, Map<Trigger, Rule>> TABLE = index(RULES);

  /** The failure class of a charge billing refused: it charged nothing and moves no status. */
  private static final String REFUSED = "REFUSED";

  private TransitionTable() {}

  /**
   * The verdict of the table on one event. Every verdict but {@link Applies} carries a code, which
   * the administrators' bulk answers repeat: asking the table is the only eligibility check.
   */
  public sealed interface Verdict {
    /** The rule applies: the contract moves to {@code rule.to()}. */
    record Applies(Rule rule) implements Verdict {}

    /** A verdict that the contract does not move: why, as a code and a sentence. */
    sealed interface Declined extends Verdict {
      String code();

      String reason();
    }

    /** The contract is CANCELLED, or billing refused the charge: recorded, and changes nothing. */
    record NoEffect(String code, String reason) implements Declined {}

    /** The pair is not in the table, or its guard refuses. */
    record Rejected(String code, String reason) implements Declined {}
  }

  public static Verdict decide(Contract contract, ContractEvent event) {
    if (event instanceof ContractEvent.PaymentFailed failed && REFUSED.equals(failed.failure().failureClass())) {
      return new Verdict.NoEffect("REFUSED_BY_BILLING",
          "billing refused the charge (" + failed.failure().code() + "): nothing was charged");
    }
    var rule = find(contract.status(), event.trigger());
    if (contract.status() == CANCELLED) {
      return rule.filter(r -> r.guard().refusal(contract, event).isEmpty())
          .<Verdict>map(Verdict.Applies::new)
          .orElseGet(() -> new Verdict.NoEffect(notAllowed(CANCELLED, event.trigger()), "the contract is cancelled"));
    }
    if (rule.isEmpty()) {
      return new Verdict.Rejected(notAllowed(contract.status(), event.trigger()),
          "%s is not allowed in status %s".formatted(event.trigger(), contract.status()));
    }
    return rule.get()
        .guard()
        .refusal(contract, event)
        .<Verdict>map(refusal -> new Verdict.Rejected(refusal.code(), refusal.reason()))
        .orElseGet(() -> new Verdict.Applies(rule.get()));
  }

  /**
   * The code of a trigger that no rule allows in {@code status}: {@code NOT_IN_ERROR} when the
   * trigger is allowed in one status only (ERROR), {@code ALREADY_CANCELLED} when every rule of
   * the trigger leads to the status the contract is in, else {@code NOT_ALLOWED_IN_<status>}.
   */
  private static String notAllowed(Status status, Trigger trigger) {
    var rules = RULES.stream().filter(r -> r.trigger() == trigger).toList();
    var from = rules.stream().map(Rule::from).distinct().toList();
    if (from.size() == 1) {
      return "NOT_IN_" + from.get(0);
    }
    if (!rules.isEmpty() && rules.stream().allMatch(r -> r.to() == status)) {
      return "ALREADY_" + status;
    }
    return "NOT_ALLOWED_IN_" + status;
  }

  public static Optional<Rule> find(Status from, Trigger trigger) {
    return Optional.ofNullable(TABLE.getOrDefault(from, Map.of()).get(trigger));
  }

  public static List<Rule> rules() {
    return RULES;
  }

  /** The table as a Mermaid state diagram, for the docs. */
  public static String mermaid() {
    var lines = new ArrayList<String>();
    lines.add("stateDiagram-v2");
    lines.add("    [*] --> ACTIVE : REGISTERED");
    for (var rule : RULES) {
      var guard = rule.guard() == Guard.ALWAYS ? "" : " [" + rule.guard().name() + "]";
      lines.add("    %s --> %s : %s%s".formatted(rule.from(), rule.to(), rule.trigger(), guard));
    }
    lines.add("    CANCELLED --> CANCELLED : anything else (recorded, no effect)");
    lines.add("    CANCELLED --> [*]");
    return String.join("\n", lines) + "\n";
  }

  private static Rule rule(Status from, Trigger trigger, Status to, Guard guard) {
    return new Rule(from, trigger, to, guard);
  }

  private static Map<Status, Map<Trigger, Rule>> index(List<Rule> rules) {
    var table = new EnumMap<Status, Map<Trigger, Rule>>(Status.class);
    for (var rule : rules) {
      var row = table.computeIfAbsent(rule.from(), status -> new EnumMap<>(Trigger.class));
      if (row.putIfAbsent(rule.trigger(), rule) != null) {
        throw new IllegalStateException("two rules for " + rule.from() + " × " + rule.trigger());
      }
    }
    table.replaceAll((status, row) -> Collections.unmodifiableMap(row));
    return Collections.unmodifiableMap(table);
  }
}
