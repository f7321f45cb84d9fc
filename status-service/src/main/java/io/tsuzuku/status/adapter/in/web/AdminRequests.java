package io.tsuzuku.status.adapter.in.web;

import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.status.application.ContractListing;
import io.tsuzuku.status.application.ContractFilter;
import io.tsuzuku.status.application.Selection;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Status;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Turns the admin API's text (query parameters, request bodies) into application values, refusing
 * anything malformed with a machine-readable code before anything is read or changed.
 */
final class AdminRequests {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;

  private AdminRequests() {}

  /** The filter of a listing, an export or a bulk request. */
  record FilterBody(
      String status, String errorFor, String errorSinceFrom, String errorSinceBefore, String finalNotice, String cohort,
      String manualRetryOn) {}

  /** The body of every bulk call: explicit ids or a filter, and what the call needs. */
  record BulkBody(List<String> contractIds, FilterBody filter, String retryOn, Boolean dryRun, String reason) {
    boolean isDryRun() {
      return Boolean.TRUE.equals(dryRun);
    }
  }

  static ContractFilter filter(FilterBody body, ContractListing listing) {
    if (body == null) {
      return ContractFilter.ANY;
    }
    var zone = listing.zone();
    var errorSinceFrom = body.errorSinceFrom() == null ? null
        : date(body.errorSinceFrom(), "errorSinceFrom").atStartOfDay(zone).toInstant();
    var errorSinceBefore = body.errorSinceBefore() == null ? null
        : date(body.errorSinceBefore(), "errorSinceBefore").atStartOfDay(zone).toInstant();
    if (body.errorFor() != null) {
      var errorFor = period(body.errorFor());
      var cutoff = listing.before(errorFor);
      errorSinceBefore = errorSinceBefore == null || cutoff.isBefore(errorSinceBefore) ? cutoff : errorSinceBefore;
    }
    return new ContractFilter(
        body.status() == null ? null : constant(Status.class, body.status(), "INVALID_STATUS"),
        errorSinceFrom,
        errorSinceBefore,
        finalNotice(body.finalNotice()),
        body.cohort() == null ? null : constant(Cohort.class, body.cohort(), "INVALID_COHORT"),
        body.manualRetryOn() == null ? null : date(body.manualRetryOn(), "manualRetryOn"));
  }

  static Selection selection(BulkBody body, ContractListing listing) {
    if (body == null) {
      throw RequestRefused.invalid("MALFORMED_REQUEST", "a JSON body is required");
    }
    if ((body.contractIds() == null) == (body.filter() == null)) {
      throw RequestRefused.invalid("SELECTION_REQUIRED", "give either contractIds or filter");
    }
    if (body.contractIds() != null) {
      body.contractIds().forEach(Identifiers::require);
      return new Selection.Ids(body.contractIds());
    }
    return new Selection.Matching(filter(body.filter(), listing));
  }

  static LocalDate date(String text, String name) {
    if (text == null || text.isBlank()) {
      throw RequestRefused.invalid("INVALID_DATE", name + " is required (YYYY-MM-DD)");
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw RequestRefused.invalid("INVALID_DATE", name + " must be a date YYYY-MM-DD, was '" + text + "'");
    }
  }

  static int limit(Integer limit) {
    if (limit == null) {
      return DEFAULT_LIMIT;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw RequestRefused.invalid("INVALID_LIMIT", "limit must be from 1 to " + MAX_LIMIT);
    }
    return limit;
  }

  /** Cursors are opaque to clients: the last contract id of the page, encoded. */
  static String cursor(String afterId) {
    return afterId == null ? null
        : Base64.getUrlEncoder().withoutPadding().encodeToString(afterId.getBytes(StandardCharsets.UTF_8));
  }

  static String afterId(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return null;
    }
    try {
      return Identifiers.require(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | RequestRefused e) {
      throw RequestRefused.invalid("INVALID_CURSOR", "the cursor is not one this API gave");
    }
  }

  /** The longest ERROR age a filter can ask for: older than any contract. */
  private static final int MAX_YEARS = 100;

  private static Period period(String text) {
    try {
      var period = Period.parse(text);
      if (period.isNegative() || period.isZero()) {
        throw RequestRefused.invalid("INVALID_DURATION", "errorFor must be positive, such as P1Y or P6M");
      }
      if (period.toTotalMonths() > 12 * MAX_YEARS || period.getDays() > 366 * MAX_YEARS) {
        throw RequestRefused.invalid("INVALID_DURATION", "errorFor must be at most P" + MAX_YEARS + "Y");
      }
      return period;
    } catch (DateTimeParseException e) {
      throw RequestRefused.invalid("INVALID_DURATION", "errorFor must be an ISO-8601 period such as P1Y or P90D, was '" + text + "'");
    }
  }

  private static Boolean finalNotice(String text) {
    if (text == null) {
      return null;
    }
    return switch (text) {
      case "sent" -> true;
      case "not-sent" -> false;
      default -> throw RequestRefused.invalid("INVALID_FINAL_NOTICE", "finalNotice is 'sent' or 'not-sent'");
    };
  }

  private static <E extends Enum<E>> E constant(Class<E> type, String text, String code) {
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw RequestRefused.invalid(code, "unknown " + type.getSimpleName().toLowerCase(Locale.ROOT) + " '" + text + "'");
    }
  }
}
