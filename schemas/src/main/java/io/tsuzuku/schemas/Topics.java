package io.tsuzuku.schemas;

import io.tsuzuku.events.ChargeRequested;
import io.tsuzuku.events.ContractCancellationRequested;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.ContractStatusChanged;
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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every topic of tsuzuku, in one place: the only source of topic names in the code base
 * (docs/events.md). Each topic has exactly one writer; the key of every record is the contract id.
 */
public final class Topics {

  public static final String DONATION_FORMS = "donation forms (other systems)";
  public static final String REPAYMENT_FORM = "re-payment form (other system)";
  public static final String BILLING_SERVICE = "billing-service";
  public static final String RETRY_SERVICE = "retry-service";
  public static final String STATUS_SERVICE = "status-service";
  public static final String CRM_SYNC_SERVICE = "crm-sync-service";
  public static final String ANALYTICS = "analytics (other systems)";

  /** tsuzuku's own services: each reads as the consumer group of its name and parks what it cannot handle yet. */
  public static final List<String> SERVICES = List.of(BILLING_SERVICE, RETRY_SERVICE, STATUS_SERVICE, CRM_SYNC_SERVICE);
  public static final String MAILERS = "organisations' mailers (other systems)";

  public static final Topic<ContractRegistered> CONTRACT_REGISTERED =
      Topic.of(
          "contract-registered",
          DONATION_FORMS,
          List.of(STATUS_SERVICE, BILLING_SERVICE, RETRY_SERVICE),
          ContractRegistered.class);

  public static final Topic<ContractCancellationRequested> CONTRACT_CANCELLATION_REQUESTED =
      Topic.of(
          "contract-cancellation-requested",
          DONATION_FORMS,
          List.of(STATUS_SERVICE),
          ContractCancellationRequested.class);

  public static final Topic<RepaymentSubmitted> REPAYMENT_SUBMITTED =
      Topic.of(
          "repayment-submitted", REPAYMENT_FORM, List.of(BILLING_SERVICE), RepaymentSubmitted.class);

  public static final Topic<PaymentMethodUpdated> PAYMENT_METHOD_UPDATED =
      Topic.of(
          "payment-method-updated", REPAYMENT_FORM, List.of(STATUS_SERVICE), PaymentMethodUpdated.class);

  public static final Topic<ChargeRequested> CHARGE_REQUESTED =
      Topic.of("charge-requested", RETRY_SERVICE, List.of(BILLING_SERVICE), ChargeRequested.class);

  public static final Topic<SpecificRecord> PAYMENT_OUTCOMES =
      Topic.ofSeveral(
          "payment-outcomes",
          BILLING_SERVICE,
          List.of(STATUS_SERVICE, RETRY_SERVICE),
          PaymentSucceeded.class,
          PaymentFailed.class,
          RefundRequired.class,
          RefundIssued.class,
          RefundFailed.class,
          RepaymentDeadlineMissed.class);

  public static final Topic<SpecificRecord> MANUAL_RETRY_REQUESTED =
      Topic.ofSeveral(
          "manual-retry-requested",
          STATUS_SERVICE,
          List.of(RETRY_SERVICE),
          ManualRetryRequested.class,
          ManualRetryWithdrawn.class);

  public static final Topic<SpecificRecord> RETRY_EVENTS =
      Topic.ofSeveral(
          "retry-events",
          RETRY_SERVICE,
          List.of(STATUS_SERVICE, BILLING_SERVICE),
          RetryScheduled.class,
          RetriesExhausted.class,
          RepaymentDeadlinePassed.class);

  public static final Topic<ContractStatusChanged> CONTRACT_STATUS_CHANGED =
      Topic.of(
          "contract-status-changed",
          STATUS_SERVICE,
          List.of(RETRY_SERVICE, BILLING_SERVICE, CRM_SYNC_SERVICE, ANALYTICS),
          ContractStatusChanged.class);

  public static final Topic<FinalNoticeRequested> FINAL_NOTICE_REQUESTED =
      Topic.of(
          "final-notice-requested", STATUS_SERVICE, List.of(MAILERS), FinalNoticeRequested.class);

  public static final Topic<RepaymentRequested> REPAYMENT_REQUESTED =
      Topic.of("repayment-requested", STATUS_SERVICE, List.of(MAILERS), RepaymentRequested.class);

  public static final Topic<RefundSettled> REFUND_SETTLEMENTS =
      Topic.of("refund-settlements", STATUS_SERVICE, List.of(BILLING_SERVICE), RefundSettled.class);

  public static final Topic<PaymentMethodChangeRequested> PAYMENT_METHOD_CHANGES =
      Topic.of("payment-method-changes", STATUS_SERVICE, List.of(BILLING_SERVICE), PaymentMethodChangeRequested.class);

  /**
   * The operators' record of replayed dead letters (compacted, one record per dead letter, keyed
   * by the dead letter's topic, partition and offset), so that none is replayed twice by accident.
   * Not an event topic: it carries no record of the contract.
   */
  public static final String DEAD_LETTER_REPLAYS = "dead-letter-replays";

  /** How long an event topic keeps a record; {@link #compacted} ones keep each contract's latest instead. */
  public static final Duration EVENT_RETENTION = Duration.ofDays(14);

  /** How long a dead-letter topic keeps a record, for a replay after a fix. */
  public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);

  private static final List<Topic<?>> ALL =
      List.of(
          CONTRACT_REGISTERED,
          CONTRACT_CANCELLATION_REQUESTED,
          REPAYMENT_SUBMITTED,
          PAYMENT_METHOD_UPDATED,
          CHARGE_REQUESTED,
          PAYMENT_OUTCOMES,
          MANUAL_RETRY_REQUESTED,
          RETRY_EVENTS,
          CONTRACT_STATUS_CHANGED,
          FINAL_NOTICE_REQUESTED,
          REPAYMENT_REQUESTED,
          REFUND_SETTLEMENTS,
          PAYMENT_METHOD_CHANGES);

  private Topics() {}

  /**
   * The Kafka principal of a topic's writer or reader ({@link KafkaAccess}): a service's is its
   * name, an outside team's a short name of its own.
   */
  public static String principal(String party) {
    return switch (party) {
      case DONATION_FORMS -> "donation-forms";
      case REPAYMENT_FORM -> "repayment-form";
      case ANALYTICS -> "analytics";
      case MAILERS -> "mailers";
      default -> party;
    };
  }

  /** Every topic, in the order of docs/events.md, "Topics". */
  public static List<Topic<?>> all() {
    return ALL;
  }

  /** Whether the topic reads as a table: compacted to the latest record of each contract, not kept for {@link #EVENT_RETENTION}. */
  public static boolean compacted(Topic<?> topic) {
    return topic == CONTRACT_STATUS_CHANGED;
  }

  /** The topic with this name, if it is one of ours. */
  public static Optional<Topic<?>> byName(String name) {
    return ALL.stream().filter(topic -> topic.name().equals(name)).findFirst();
  }

  /** The topic a record type is written to: each record type belongs to exactly one topic. */
  public static Topic<?> of(Class<? extends SpecificRecord> recordType) {
    return ALL.stream()
        .filter(topic -> topic.carries(recordType))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException(recordType.getName() + " belongs to no topic"));
  }

  /** Every record type of the contract, each once. */
  public static List<Class<? extends SpecificRecord>> recordTypes() {
    return ALL.stream().flatMap(topic -> topic.recordTypes().stream()).toList();
  }
}
