package io.tsuzuku.schemas;

import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.ChargeRequested;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractCancellationRequested;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.ContractStatus;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.FinalNoticeRequested;
import io.tsuzuku.events.ManualRetryRequested;
import io.tsuzuku.events.ManualRetryWithdrawn;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentMethodChangeRequested;
import io.tsuzuku.events.PaymentMethodUpdated;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.RefundFailed;
import io.tsuzuku.events.RefundIssued;
import io.tsuzuku.events.RefundRequired;
import io.tsuzuku.events.RefundSettled;
import io.tsuzuku.events.RepaymentDeadlineMissed;
import io.tsuzuku.events.RepaymentDeadlinePassed;
import io.tsuzuku.events.RepaymentRequested;
import io.tsuzuku.events.RepaymentSubmitted;
import io.tsuzuku.events.RetriesExhausted;
import io.tsuzuku.events.RetryScheduled;
import io.tsuzuku.events.BillingInterval;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What a record of the event contract may hold beyond what its schema's types say (docs/events.md,
 * "Values a record may hold"): an anchor day is a day of a month, an amount is a yen amount a card
 * can be charged, an id is not blank, a business date and an instant lie in the years the platform
 * runs, an enum a reader needs is not the UNKNOWN a newer writer's symbol reads as. A consumer
 * checks every record before it handles it ({@link CheckedAvroDeserializer}): one that breaks a
 * rule is unprocessable, set aside on its dead-letter topic at once with the rules it breaks, and
 * the partition goes on. A producer can check its records the same way before sending.
 */
public final class RecordRules {

  /** Stripe's largest charge in yen; nothing above it can ever be charged. */
  public static final long MAX_AMOUNT_YEN = 99_999_999;

  /** The longest id the platform stores (ids are keys, Salesforce external ids, idempotency keys). */
  public static final int MAX_ID_LENGTH = 200;

  /**
   * The longest contract id: an attempt id is the contract id with its period, kind and number
   * ({@link AttemptIds}, up to 40 characters more), and must fit {@link #MAX_ID_LENGTH} too.
   */
  public static final int MAX_CONTRACT_ID_LENGTH = MAX_ID_LENGTH - 40;

  /** The last day a contract of the legacy platform was applied for. */
  public static final LocalDate LAST_LEGACY_APPLICATION = LocalDate.of(2023, 5, 11);

  static final LocalDate EARLIEST_DATE = LocalDate.of(2000, 1, 1);
  static final LocalDate LATEST_DATE = LocalDate.of(2199, 12, 31);
  private static final Instant EARLIEST_INSTANT = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant LATEST_INSTANT = Instant.parse("2200-01-01T00:00:00Z");

  private RecordRules() {}

  /**
   * Checks {@code record} against the rules of its type; a type with no rules of its own (one this
   * version does not know) passes.
   *
   * @throws UnprocessableRecordException naming the record's type, its contract and every rule it
   *     breaks
   */
  public static void check(Object record) {
    var problems = inspect(record);
    if (!problems.found.isEmpty()) {
      throw new UnprocessableRecordException(record.getClass().getSimpleName()
          + (problems.contractId == null ? "" : " for contract " + problems.contractId)
          + " breaks the event contract: " + String.join("; ", problems.found));
    }
  }

  /**
   * The rule of an id, for a value opened from a sealed field.
   *
   * @throws UnprocessableRecordException when the value breaks it
   */
  public static String requireId(String field, String value) {
    var c = new Problems();
    c.id(field, value);
    if (!c.found.isEmpty()) {
      throw new UnprocessableRecordException(String.join("; ", c.found));
    }
    return value;
  }

  /** Every rule {@code record} breaks, as a sentence each; empty when it keeps them all. */
  public static List<String> problems(Object record) {
    return inspect(record).found;
  }

  private static Problems inspect(Object record) {
    var c = new Problems();
    if (record instanceof ContractRegistered r) {
      c.header(r.getHeader());
      // sealed for their readers (SealedFields): their values are checked once opened (requireId)
      c.id("supporter.supporterId", r.getSupporter().getSupporterId(), SealedFields.MAX_LENGTH);
      c.id("supporter.name", r.getSupporter().getName(), SealedFields.MAX_LENGTH);
      c.id("supporter.email", r.getSupporter().getEmail(), SealedFields.MAX_LENGTH);
      c.amount("amountYen", r.getAmountYen());
      c.known("interval", r.getInterval(), BillingInterval.UNKNOWN);
      c.rule(r.getAnchorDay() >= 1 && r.getAnchorDay() <= 31, "anchorDay " + r.getAnchorDay() + " is not a day of a month (1-31)");
      c.date("firstChargeOn", r.getFirstChargeOn());
      c.date("appliedOn", r.getAppliedOn());
      c.known("cohort", r.getCohort(), Cohort.UNKNOWN);
      c.rule(r.getCohort() != Cohort.LEGACY || r.getAppliedOn() == null || !r.getAppliedOn().isAfter(LAST_LEGACY_APPLICATION),
          "a LEGACY contract applied on " + r.getAppliedOn() + ", after the legacy platform's last day " + LAST_LEGACY_APPLICATION);
      c.id("paymentMethodToken", r.getPaymentMethodToken(), SealedFields.MAX_LENGTH);
    } else if (record instanceof ContractCancellationRequested r) {
      c.header(r.getHeader());
    } else if (record instanceof RepaymentSubmitted r) {
      c.header(r.getHeader());
      c.date("period", r.getPeriod());
      c.amount("amountYen", r.getAmountYen());
      if (r.getPaymentMethodToken() != null) {
        c.id("paymentMethodToken", r.getPaymentMethodToken());
      }
      // any other token is billing's to refuse (link_invalid), with a payment outcome the form reads
      c.rule(r.getLinkToken() == null || r.getLinkToken().length() <= RepaymentLinks.MAX_LENGTH,
          "linkToken is longer than " + RepaymentLinks.MAX_LENGTH + " characters");
    } else if (record instanceof PaymentMethodUpdated r) {
      c.header(r.getHeader());
      c.passedOnSealed("paymentMethodToken", r.getPaymentMethodToken());
    } else if (record instanceof PaymentMethodChangeRequested r) {
      c.header(r.getHeader());
      c.id("updatedFrom", r.getUpdatedFrom(), MAX_CONTRACT_ID_LENGTH);
      c.passedOnSealed("paymentMethodToken", r.getPaymentMethodToken());
    } else if (record instanceof ChargeRequested r) {
      c.header(r.getHeader());
      c.id("attemptId", r.getAttemptId());
      c.known("kind", r.getKind(), ChargeKind.UNKNOWN);
      c.positive("retryNumber", r.getRetryNumber());
      c.date("period", r.getPeriod());
      c.instant("dueAt", r.getDueAt());
    } else if (record instanceof PaymentSucceeded r) {
      c.header(r.getHeader());
      c.attempt(r.getAttemptId(), r.getKind(), r.getAttemptNumber(), r.getPeriod(), r.getAmountYen());
    } else if (record instanceof PaymentFailed r) {
      c.header(r.getHeader());
      c.attempt(r.getAttemptId(), r.getKind(), r.getAttemptNumber(), r.getPeriod(), r.getAmountYen());
      c.id("failureCode", r.getFailureCode());
    } else if (record instanceof RefundRequired r) {
      c.header(r.getHeader());
      c.id("attemptId", r.getAttemptId());
      c.date("period", r.getPeriod());
      c.amount("amountYen", r.getAmountYen());
      c.instant("chargedAt", r.getChargedAt());
      c.id("reason", r.getReason());
    } else if (record instanceof RefundSettled r) {
      c.header(r.getHeader());
      c.id("attemptId", r.getAttemptId());
      c.amount("amountYen", r.getAmountYen());
      c.id("settledBy", r.getSettledBy());
    } else if (record instanceof RefundIssued r) {
      c.header(r.getHeader());
      c.id("attemptId", r.getAttemptId());
      c.amount("amountYen", r.getAmountYen());
    } else if (record instanceof RefundFailed r) {
      c.header(r.getHeader());
      c.id("attemptId", r.getAttemptId());
      c.amount("amountYen", r.getAmountYen());
    } else if (record instanceof ManualRetryRequested r) {
      c.header(r.getHeader());
      c.date("retryOn", r.getRetryOn());
      c.instant("runAt", r.getRunAt());
      c.date("period", r.getPeriod());
    } else if (record instanceof ManualRetryWithdrawn r) {
      c.header(r.getHeader());
    } else if (record instanceof RetryScheduled r) {
      c.header(r.getHeader());
      c.known("kind", r.getKind(), ChargeKind.UNKNOWN);
      c.positive("retryNumber", r.getRetryNumber());
      c.date("period", r.getPeriod());
      c.instant("runAt", r.getRunAt());
    } else if (record instanceof RetriesExhausted r) {
      c.header(r.getHeader());
      c.date("period", r.getPeriod());
      c.rule(r.getRetries() >= 0, "retries " + r.getRetries() + " is negative");
    } else if (record instanceof RepaymentDeadlinePassed r) {
      c.header(r.getHeader());
      c.deadline(r.getPeriod(), r.getDeadline(), r.getCancelledOn());
    } else if (record instanceof RepaymentDeadlineMissed r) {
      c.header(r.getHeader());
      c.deadline(r.getPeriod(), r.getDeadline(), r.getCancelledOn());
    } else if (record instanceof ContractStatusChanged r) {
      c.header(r.getHeader());
      c.known("to", r.getTo(), ContractStatus.UNKNOWN);
      c.instant("statusSince", r.getStatusSince());
      c.rule(r.getVersion() >= 0, "version " + r.getVersion() + " is negative");
    } else if (record instanceof FinalNoticeRequested r) {
      c.header(r.getHeader());
      c.amount("amountYen", r.getAmountYen());
      c.instant("errorSince", r.getErrorSince());
      c.date("noticeOn", r.getNoticeOn());
    } else if (record instanceof RepaymentRequested r) {
      c.header(r.getHeader());
      c.amount("amountYen", r.getAmountYen());
      c.date("period", r.getPeriod());
      c.id("linkToken", r.getLinkToken(), RepaymentLinks.MAX_LENGTH);
      c.instant("expiresAt", r.getExpiresAt());
    }
    return c;
  }

  /** The rules a record breaks, collected in the order of its fields. */
  private static final class Problems {
    final List<String> found = new ArrayList<>();
    String contractId;

    void rule(boolean kept, String problem) {
      if (!kept) {
        found.add(problem);
      }
    }

    void header(EventHeader h) {
      contractId = h.getContractId();
      id("header.eventId", h.getEventId());
      id("header.orgId", h.getOrgId());
      id("header.contractId", h.getContractId(), MAX_CONTRACT_ID_LENGTH);
      instant("header.occurredAt", h.getOccurredAt());
    }

    void id(String field, CharSequence value) {
      id(field, value, MAX_ID_LENGTH);
    }

    void id(String field, CharSequence value, int maxLength) {
      if (value == null || value.toString().isBlank()) {
        found.add(field + " is blank");
      } else if (value.length() > maxLength) {
        found.add(field + " is longer than " + maxLength + " characters");
      } else if (value.chars().anyMatch(Character::isISOControl)) {
        found.add(field + " contains a control character");
      }
    }

    /** A field its reader passes on, sealed for another, without the key to open it: it must at least look sealed. */
    void passedOnSealed(String field, String value) {
      id(field, value, SealedFields.MAX_LENGTH);
      rule(value == null || value.isBlank() || SealedFields.looksSealed(value), field + " is not a sealed value");
    }

    void amount(String field, long yen) {
      rule(yen >= 1 && yen <= MAX_AMOUNT_YEN, field + " " + yen + " is not an amount from 1 to " + MAX_AMOUNT_YEN + " yen");
    }

    void positive(String field, int n) {
      rule(n >= 1, field + " " + n + " is not a positive number");
    }

    void date(String field, LocalDate date) {
      rule(date != null && !date.isBefore(EARLIEST_DATE) && !date.isAfter(LATEST_DATE),
          field + " " + date + " is not a date from " + EARLIEST_DATE + " to " + LATEST_DATE);
    }

    void instant(String field, Instant at) {
      rule(at != null && !at.isBefore(EARLIEST_INSTANT) && at.isBefore(LATEST_INSTANT),
          field + " " + at + " is not an instant from " + EARLIEST_INSTANT + " to " + LATEST_INSTANT);
    }

    <E extends Enum<E>> void known(String field, E value, E unknown) {
      rule(value != null && value != unknown, field + " " + value + " is not a symbol this reader knows");
    }

    void deadline(LocalDate period, LocalDate deadline, LocalDate cancelledOn) {
      date("period", period);
      date("deadline", deadline);
      date("cancelledOn", cancelledOn);
    }

    void attempt(String attemptId, ChargeKind kind, int number, LocalDate period, long amountYen) {
      id("attemptId", attemptId);
      known("kind", kind, ChargeKind.UNKNOWN);
      rule(number >= 0, "attemptNumber " + number + " is negative");
      date("period", period);
      amount("amountYen", amountYen);
    }
  }
}
