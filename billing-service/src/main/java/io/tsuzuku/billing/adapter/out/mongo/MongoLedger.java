package io.tsuzuku.billing.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import io.tsuzuku.billing.application.port.LedgerStore;
import io.tsuzuku.billing.domain.Attempt;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.ChargeKind;
import io.tsuzuku.billing.domain.Cohort;
import io.tsuzuku.billing.domain.RefundProgress;
import io.tsuzuku.billing.domain.UsedLink;
import io.tsuzuku.billing.domain.ContractStatus;
import io.tsuzuku.billing.domain.FailureClass;
import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.kit.outbox.MongoOutbox;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.kit.outbox.MongoRelayMarks;
import io.tsuzuku.kit.outbox.OutboxRelay;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The ledger in MongoDB: one document per contract ({@code billed_contracts}) with its state, its
 * attempt in flight, its recent attempts and its outbox, written with single-document atomicity
 * only, every write guarded by the document's revision. Dates are ISO strings: they sort as dates.
 */
public final class MongoLedger implements LedgerStore {

  private static final int RELAY_BATCH = 200;
  private static final int IN_FLIGHT_BATCH = 500;

  private final MongoRelayMarks outbox;
  private final MongoCollection<Document> contracts;

  public MongoLedger(MongoDatabase database) {
    outbox = new MongoRelayMarks(database, "billed_contracts");
    contracts = outbox.documents();
    contracts.createIndex(Indexes.ascending("nextChargeOn", "_id"));
    contracts.createIndex(Indexes.ascending("inFlight.attemptId"));
    contracts.createIndex(Indexes.ascending("refundDue", "orgId"));
    MongoOutbox.createIndexes(contracts);
  }

  @Override
  public Optional<BilledContract> find(String contractId) {
    return Optional.ofNullable(contracts.find(eq("_id", contractId)).first()).map(MongoLedger::contract);
  }

  @Override
  public boolean save(BilledContract next, List<OutboxMessage> messages) {
    return MongoOutbox.save(outbox, document(next, next.revision() + 1), next.revision(), messages);
  }

  @Override
  public Map<String, BilledContract> findAll(Collection<String> contractIds) {
    var found = new HashMap<String, BilledContract>();
    contracts.find(in("_id", Set.copyOf(contractIds))).map(MongoLedger::contract).forEach(c -> found.put(c.contractId(), c));
    return found;
  }

  @Override
  public Set<String> saveAll(List<Saving> changes) {
    var unsaved = MongoOutbox.saveAll(outbox, changes.stream()
        .map(c -> new MongoOutbox.Write(document(c.next(), c.next().revision() + 1), c.next().revision(), c.messages())).toList());
    return unsaved.stream().map(String.class::cast).collect(Collectors.toSet());
  }

  /** The documents whose outbox the relay publishes. */
  public OutboxRelay.Store<MongoOutbox.Pending> outbox() {
    return MongoOutbox.relayStore(RELAY_BATCH, outbox);
  }

  @Override
  public List<BilledContract> dueOn(LocalDate day, String afterId, int limit) {
    var conditions = new ArrayList<Bson>(List.of(ne("nextChargeOn", null), lte("nextChargeOn", day.toString())));
    if (afterId != null) {
      conditions.add(gt("_id", afterId));
    }
    return contracts.find(and(conditions)).sort(Sorts.ascending("_id")).limit(limit)
        .map(MongoLedger::contract).into(new ArrayList<>());
  }

  @Override
  public List<BilledContract> withAttemptInFlight() {
    return contracts.find(ne("inFlight", null)).limit(IN_FLIGHT_BATCH).map(MongoLedger::contract).into(new ArrayList<>());
  }

  @Override
  public List<BilledContract> withRefundsDue(String orgId, int limit) {
    return contracts.find(new Document("refundDue", true).append("orgId", orgId)).limit(limit)
        .map(MongoLedger::contract).into(new ArrayList<>());
  }

  private static Document document(BilledContract c, long revision) {
    return new Document("_id", c.contractId())
        .append("orgId", c.orgId())
        .append("cohort", c.cohort() == null ? null : c.cohort().name())
        .append("interval", c.calendar() == null ? null : c.calendar().interval().name())
        .append("anchorDay", c.calendar() == null ? null : c.calendar().anchorDay())
        .append("anchorMonth", c.calendar() == null ? null : c.calendar().anchorMonth())
        .append("amountYen", c.amountYen())
        .append("paymentMethodToken", c.paymentMethodToken())
        .append("cardGivenAt", date(c.cardGivenAt()))
        .append("repaymentOwedBy", c.repaymentOwedBy())
        .append("repaymentOwedFor", text(c.repaymentOwedFor()))
        .append("usedLinks", c.usedLinks().stream().map(l -> new Document("linkId", l.linkId()).append("expiresAt", date(l.expiresAt())))
            .toList())
        .append("registered", c.registered())
        .append("status", c.status().name())
        .append("statusVersion", c.statusVersion())
        .append("cancelledAt", date(c.cancelledAt()))
        .append("nextChargeOn", text(c.nextChargeOn()))
        .append("outstandingPeriod", text(c.outstandingPeriod()))
        .append("paidPeriods", c.paidPeriods().stream().map(LocalDate::toString).toList())
        .append("inFlight", c.inFlight() == null ? null : attempt(c.inFlight()))
        .append("attempts", c.attempts().stream().map(MongoLedger::attempt).toList())
        .append("refundsDue", c.refundsDue().stream().map(MongoLedger::attempt).toList())
        .append("refundProgress", c.refundProgress().stream().map(p -> new Document("attemptId", p.attemptId())
            .append("refundReference", p.refundReference()).append("failure", p.failure())).toList())
        .append("refundDue", c.hasRefundToIssue())
        .append("revision", revision);
  }

  private static BilledContract contract(Document d) {
    var interval = d.getString("interval");
    return new BilledContract(
        d.getString("_id"),
        d.getString("orgId"),
        d.getString("cohort") == null ? null : Cohort.valueOf(d.getString("cohort")),
        interval == null ? null : new BillingCalendar(BillingCalendar.Interval.valueOf(interval), d.getInteger("anchorDay"), d.getInteger("anchorMonth")),
        d.getLong("amountYen"),
        d.getString("paymentMethodToken"),
        instant(d.getDate("cardGivenAt")),
        d.getString("repaymentOwedBy"),
        date(d.getString("repaymentOwedFor")),
        d.getList("usedLinks", Document.class, List.of()).stream()
            .map(l -> new UsedLink(l.getString("linkId"), instant(l.getDate("expiresAt")))).toList(),
        d.getBoolean("registered", false),
        ContractStatus.valueOf(d.getString("status")),
        d.getLong("statusVersion"),
        instant(d.getDate("cancelledAt")),
        date(d.getString("nextChargeOn")),
        date(d.getString("outstandingPeriod")),
        d.getList("paidPeriods", String.class, List.of()).stream().map(LocalDate::parse).toList(),
        d.get("inFlight", Document.class) == null ? null : attempt(d.get("inFlight", Document.class)),
        d.getList("attempts", Document.class, List.of()).stream().map(MongoLedger::attempt).toList(),
        d.getList("refundsDue", Document.class, List.of()).stream().map(MongoLedger::attempt).toList(),
        d.getList("refundProgress", Document.class, List.of()).stream()
            .map(p -> new RefundProgress(p.getString("attemptId"), p.getString("refundReference"), p.getString("failure"))).toList(),
        d.getLong("revision"));
  }

  private static Document attempt(Attempt a) {
    return new Document("attemptId", a.attemptId())
        .append("contractId", a.contractId())
        .append("orgId", a.orgId())
        .append("kind", a.kind().name())
        .append("number", a.number())
        .append("period", a.period().toString())
        .append("amountYen", a.amountYen())
        .append("paymentMethodToken", a.paymentMethodToken())
        .append("state", a.state().name())
        .append("reference", a.reference())
        .append("failureCode", a.failureCode())
        .append("failureClass", a.failureClass() == null ? null : a.failureClass().name())
        .append("createdAt", date(a.createdAt()))
        .append("finishedAt", date(a.finishedAt()))
        .append("causeEventId", a.causeEventId())
        .append("legacyCohort", a.legacyCohort());
  }

  private static Attempt attempt(Document d) {
    return new Attempt(
        d.getString("attemptId"),
        d.getString("contractId"),
        d.getString("orgId"),
        ChargeKind.valueOf(d.getString("kind")),
        d.getInteger("number"),
        LocalDate.parse(d.getString("period")),
        d.getLong("amountYen"),
        d.getString("paymentMethodToken"),
        Attempt.State.valueOf(d.getString("state")),
        d.getString("reference"),
        d.getString("failureCode"),
        d.getString("failureClass") == null ? null : FailureClass.valueOf(d.getString("failureClass")),
        instant(d.getDate("createdAt")),
        instant(d.getDate("finishedAt")),
        d.getString("causeEventId"),
        d.getBoolean("legacyCohort", false));
  }

  private static Date date(Instant at) {
    return at == null ? null : Date.from(at);
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }

  private static String text(LocalDate date) {
    return date == null ? null : date.toString();
  }

  private static LocalDate date(String text) {
    return text == null ? null : LocalDate.parse(text);
  }
}
