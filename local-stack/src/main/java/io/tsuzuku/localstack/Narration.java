package io.tsuzuku.localstack;

import io.tsuzuku.status.domain.Status;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What the demo says of a contract's history lines (the admin API's, docs/admin-api.md): each
 * event in words, with what it did to the status and why, and at the end what became of it.
 */
final class Narration {

  private static final Map<String, String> EVENTS = Map.ofEntries(
      Map.entry("SCHEDULED_CHARGE_FAILED", "the monthly charge failed"),
      Map.entry("AUTOMATIC_RETRY_FAILED", "a weekly automatic retry failed"),
      Map.entry("RETRIES_EXHAUSTED", "no automatic retry left: ERROR, which never cancels by itself"),
      Map.entry("REPAYMENT_DEADLINE_PASSED", "legacy rule: its re-payment deadline passed unpaid, so it is cancelled"),
      Map.entry("MANUAL_RETRY_FAILED", "the manual retry failed"),
      Map.entry("REPAYMENT_FAILED", "the supporter's re-payment failed"),
      Map.entry("MANUAL_RETRY_WITHDRAWN", "the manual retry is withdrawn"),
      Map.entry("FINAL_NOTICE_SENT", "a final notice is sent"),
      Map.entry("REPAYMENT_REQUESTED", "the supporter is asked to re-pay, with a link"),
      Map.entry("CANCELLED_BY_ADMINISTRATOR", "cancelled by the administrator"),
      Map.entry("CANCELLED_BY_SUPPORTER", "cancelled by the supporter"));
  /** The charge a payment's line names ({@code path}), as the demo says it. */
  private static final Map<String, String> CHARGES = Map.of(
      "SCHEDULED", "the monthly charge",
      "AUTO_RETRY", "a weekly automatic retry",
      "MANUAL_RETRY", "the manual retry",
      "SUPPORTER_REPAYMENT", "the supporter's re-payment");

  private Narration() {}

  /** Everything but the registration, the retry-service's bookkeeping and a paid month of an ACTIVE contract. */
  static boolean worthTelling(JsonNode line) {
    var event = line.get("event").asString();
    return !event.equals("REGISTERED") && !event.equals("RETRY_SCHEDULED")
        && !(event.equals("PAYMENT_SUCCEEDED") && status(line, "from") == Status.ACTIVE && status(line, "to") == Status.ACTIVE);
  }

  /** One event: {@code demo-03  ACTIVE → RETRYING      the monthly charge failed}. */
  static String event(String contractId, JsonNode line) {
    var from = text(line, "from");
    var to = text(line, "to");
    var change = from == null || from.equals(to) ? to + " (unchanged)" : from + " → " + to;
    var event = line.get("event").asString();
    var what = event.equals("PAYMENT_SUCCEEDED") ? CHARGES.getOrDefault(text(line, "path"), "a payment") + " succeeded"
        : event.equals("MANUAL_RETRY_REQUESTED") ? booker(line) + " books a manual retry"
        : EVENTS.getOrDefault(event, event);
    var result = line.get("result").asString();
    if (!result.equals("APPLIED")) {
      what += " (" + (result.equals("REJECTED") ? "rejected" : "no effect") + (text(line, "reason") == null ? "" : ": " + text(line, "reason")) + ")";
    }
    return String.format("%-8s %-22s %s", contractId, change, what);
  }

  /** What became of a contract, in words that group the contracts with the same ending. */
  static String outcome(JsonNode contract, List<JsonNode> history) {
    var status = Status.valueOf(contract.get("status").asString());
    switch (status) {
      case ACTIVE: {
        var recovery = history.stream().filter(line -> line.get("event").asString().equals("PAYMENT_SUCCEEDED")
            && status(line, "from") != Status.ACTIVE).reduce((first, second) -> second);
        return recovery.map(line -> "ACTIVE again: recovered by " + recoveredBy(text(line, "path"), history))
            .orElse("ACTIVE: paid every month");
      }
      case ERROR:
        return "ERROR: waiting for the administrator, as long as it takes";
      case CANCELLED: {
        var cancellation = history.stream().filter(line -> status(line, "to") == Status.CANCELLED && status(line, "from") != Status.CANCELLED)
            .reduce((first, second) -> second);
        return "CANCELLED: " + cancellation.map(line -> EVENTS.getOrDefault(line.get("event").asString(), line.get("event").asString()))
            .orElse("cancelled");
      }
      default:
        return status + ": weekly retries go on";
    }
  }

  /** The charge that recovered a contract, and who asked for it where someone did. */
  private static String recoveredBy(String path, List<JsonNode> history) {
    if ("MANUAL_RETRY".equals(path)) {
      return last(history, "MANUAL_RETRY_REQUESTED").map(booked -> booker(booked) + "'s manual retry").orElse(CHARGES.get(path));
    }
    if ("SUPPORTER_REPAYMENT".equals(path) && last(history, "REPAYMENT_REQUESTED").isPresent()) {
      return "the supporter's re-payment, through the link of a re-payment request";
    }
    return CHARGES.getOrDefault(path, "a payment");
  }

  /** Who booked a manual retry: a standing plan's run (its actor names the plan) or the administrator. */
  private static String booker(JsonNode line) {
    return text(line, "actor") != null && text(line, "actor").startsWith("standing plan") ? "the standing plan" : "the administrator";
  }

  private static java.util.Optional<JsonNode> last(List<JsonNode> history, String event) {
    return history.stream().filter(line -> line.get("event").asString().equals(event)).reduce((first, second) -> second);
  }

  /** A status of the API's history line, as the status-service's own enum; null where the line has none. */
  private static Status status(JsonNode line, String field) {
    var value = text(line, field);
    return value == null ? null : Status.valueOf(value);
  }

  private static String text(JsonNode line, String field) {
    var value = line.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }
}
