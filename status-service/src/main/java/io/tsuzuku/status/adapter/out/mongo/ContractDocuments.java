package io.tsuzuku.status.adapter.out.mongo;

import io.tsuzuku.status.application.HistoryEntry;
import io.tsuzuku.kit.outbox.MongoOutbox;
import io.tsuzuku.status.application.StoredContract;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Failure;
import io.tsuzuku.status.domain.Interval;
import io.tsuzuku.status.domain.NextRetry;
import io.tsuzuku.status.domain.Outcome;
import io.tsuzuku.status.domain.PendingManualRetry;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.status.domain.Supporter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import org.bson.Document;

/**
 * The mapping between a stored contract and its MongoDB document. Instants are BSON dates,
 * business dates ISO strings (they sort as dates), enums their names.
 */
final class ContractDocuments {

  private ContractDocuments() {}

  static Document toDocument(StoredContract stored, long revision) {
    var c = stored.contract();
    return new Document("_id", c.contractId())
        .append("orgId", c.orgId())
        .append("cohort", c.cohort().name())
        .append("supporter", supporter(c.supporter()))
        .append("amountYen", c.amountYen())
        .append("interval", c.interval().name())
        .append("monthlyYen", c.interval().monthlyYen(c.amountYen()))
        .append("status", c.status().name())
        .append("statusSince", date(c.statusSince()))
        .append("errorSince", date(c.errorSince()))
        .append("lastFailure", c.lastFailure() == null ? null
            : new Document("code", c.lastFailure().code())
                .append("failureClass", c.lastFailure().failureClass())
                .append("at", date(c.lastFailure().at())))
        .append("outstandingPeriod", string(c.outstandingPeriod()))
        .append("lastPaidPeriod", string(c.lastPaidPeriod()))
        .append("attemptsInPeriod", c.attemptsInPeriod())
        .append("recentAttempts", c.recentAttempts().stream().map(ContractDocuments::date).toList())
        .append("nextRetry", c.nextRetry() == null ? null
            : new Document("kind", c.nextRetry().kind().name())
                .append("number", c.nextRetry().number())
                .append("period", string(c.nextRetry().period()))
                .append("at", date(c.nextRetry().at())))
        .append("pendingManualRetry", c.pendingManualRetry() == null ? null
            : new Document("retryOn", string(c.pendingManualRetry().retryOn()))
                .append("runAt", date(c.pendingManualRetry().runAt()))
                .append("requestedBy", c.pendingManualRetry().requestedBy()))
        .append("lastFinalNoticeOn", string(c.lastFinalNoticeOn()))
        .append("lastRepaymentRequestOn", string(c.lastRepaymentRequestOn()))
        .append("repaymentRequestsSent", c.repaymentRequestsSent())
        .append("paymentMethodUpdatedAt", date(c.paymentMethodUpdatedAt()))
        .append("cancellationReason", c.cancellationReason())
        .append("version", c.version())
        .append("recentEventIds", stored.recentEventIds())
        .append("outbox", stored.outbox().stream().map(MongoOutbox::document).toList())
        .append("pendingHistory", stored.pendingHistory().stream().map(ContractDocuments::history).toList())
        .append("hasPendingWork", !stored.outbox().isEmpty() || !stored.pendingHistory().isEmpty())
        .append("revision", revision);
  }

  static StoredContract fromDocument(Document d) {
    var supporter = d.get("supporter", Document.class);
    var failure = d.get("lastFailure", Document.class);
    var next = d.get("nextRetry", Document.class);
    var manual = d.get("pendingManualRetry", Document.class);
    var contract =
        new Contract(
            d.getString("_id"),
            d.getString("orgId"),
            Cohort.valueOf(d.getString("cohort")),
            supporter == null ? null
                : new Supporter(supporter.getString("supporterId"), supporter.getString("name"), supporter.getString("email")),
            d.getLong("amountYen"),
            Interval.valueOf(d.get("interval", Interval.MONTHLY.name())),
            Status.valueOf(d.getString("status")),
            instant(d.getDate("statusSince")),
            instant(d.getDate("errorSince")),
            failure == null ? null
                : new Failure(failure.getString("code"), failure.getString("failureClass"), instant(failure.getDate("at"))),
            localDate(d.getString("outstandingPeriod")),
            localDate(d.getString("lastPaidPeriod")),
            d.getInteger("attemptsInPeriod", 0),
            d.getList("recentAttempts", Date.class, List.of()).stream().map(ContractDocuments::instant).toList(),
            next == null ? null
                : new NextRetry(ChargeKind.valueOf(next.getString("kind")), next.getInteger("number"),
                    localDate(next.getString("period")), instant(next.getDate("at"))),
            manual == null ? null
                : new PendingManualRetry(localDate(manual.getString("retryOn")), instant(manual.getDate("runAt")), manual.getString("requestedBy")),
            localDate(d.getString("lastFinalNoticeOn")),
            localDate(d.getString("lastRepaymentRequestOn")),
            d.getInteger("repaymentRequestsSent", 0),
            instant(d.getDate("paymentMethodUpdatedAt")),
            d.getString("cancellationReason"),
            d.getLong("version"));
    return new StoredContract(
        contract,
        d.getList("recentEventIds", String.class, List.of()),
        MongoOutbox.messages(d),
        d.getList("pendingHistory", Document.class, List.of()).stream().map(ContractDocuments::history).toList(),
        d.getLong("revision"));
  }

  static Document history(HistoryEntry h) {
    return new Document("_id", h.id())
        .append("contractId", h.contractId())
        .append("orgId", h.orgId())
        .append("eventId", h.eventId())
        .append("at", date(h.at()))
        .append("trigger", h.trigger())
        .append("actor", h.actor())
        .append("result", h.result().name())
        .append("from", name(h.from()))
        .append("to", name(h.to()))
        .append("reason", h.reason())
        .append("amountYen", h.amountYen())
        .append("path", h.path())
        .append("declineCode", h.declineCode())
        .append("declineClass", h.declineClass())
        .append("cohort", h.cohort())
        .append("interval", h.interval())
        .append("version", h.version());
  }

  static HistoryEntry history(Document d) {
    return new HistoryEntry(
        d.getString("_id"),
        d.getString("contractId"),
        d.getString("orgId"),
        d.getString("eventId"),
        instant(d.getDate("at")),
        d.getString("trigger"),
        d.getString("actor"),
        Outcome.Result.valueOf(d.getString("result")),
        valueOrNull(d.getString("from"), Status::valueOf),
        valueOrNull(d.getString("to"), Status::valueOf),
        d.getString("reason"),
        d.getLong("amountYen"),
        d.getString("path"),
        d.getString("declineCode"),
        d.getString("declineClass"),
        d.getString("cohort"),
        d.getString("interval"),
        d.get("version", 0L));
  }

  private static Document supporter(Supporter s) {
    return s == null ? null
        : new Document("supporterId", s.supporterId()).append("name", s.name()).append("email", s.email());
  }

  private static Date date(Instant instant) {
    return instant == null ? null : Date.from(instant);
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }

  private static String string(LocalDate date) {
    return date == null ? null : date.toString();
  }

  private static LocalDate localDate(String text) {
    return text == null ? null : LocalDate.parse(text);
  }

  private static String name(Enum<?> value) {
    return value == null ? null : value.name();
  }

  private static <T> T valueOrNull(String text, Function<String, T> parse) {
    return text == null ? null : parse.apply(text);
  }
}
