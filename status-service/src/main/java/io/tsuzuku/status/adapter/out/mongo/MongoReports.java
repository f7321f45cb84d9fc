package io.tsuzuku.status.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.BsonField;
import com.mongodb.client.model.BucketOptions;
import com.mongodb.client.model.Facet;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.tsuzuku.status.application.HistoryEntry;
import io.tsuzuku.status.application.Summary.Figure;
import io.tsuzuku.status.application.port.ContractFigures;
import io.tsuzuku.status.application.port.FailureHistory;
import io.tsuzuku.status.application.port.ManualRetryHistory;
import io.tsuzuku.status.application.port.RecoveryHistory;
import io.tsuzuku.status.domain.ChargeKind;
import io.tsuzuku.status.domain.Outcome;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.status.domain.Trigger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The administrators' figures and reports. The summary is one aggregation over the
 * organisation's contracts (one pass, every figure from it); the reports read the history.
 */
public final class MongoReports implements ContractFigures, RecoveryHistory, ManualRetryHistory, FailureHistory {

  private static final Date NEVER_BEFORE = new Date(0);
  private static final Date NEVER_AFTER = Date.from(Instant.parse("9999-12-31T00:00:00Z"));

  /** The lines that begin, mark or end a failure, besides the recoveries. */
  private static final List<String> FAILURE_LINES = List.of(
      Trigger.SCHEDULED_CHARGE_FAILED.name(), Trigger.AUTOMATIC_RETRY_FAILED.name(), Trigger.MANUAL_RETRY_FAILED.name(),
      Trigger.REPAYMENT_FAILED.name(), Trigger.RETRIES_EXHAUSTED.name(), Trigger.REPAYMENT_DEADLINE_PASSED.name(),
      Trigger.CANCELLED_BY_ADMINISTRATOR.name(), Trigger.CANCELLED_BY_SUPPORTER.name());

  private final MongoCollection<Document> contracts;
  private final MongoCollection<Document> history;

  public MongoReports(MongoDatabase database) {
    this.contracts = database.getCollection("contracts");
    this.history = database.getCollection("contract_history");
    history.createIndex(Indexes.ascending("orgId", "trigger", "at"));
  }

  @Override
  public Counts count(String orgId, List<Instant> errorSinceBounds, LocalDate retryOnFrom, LocalDate retryOnTo) {
    var boundaries = new ArrayList<Date>();
    boundaries.add(NEVER_BEFORE);
    errorSinceBounds.forEach(bound -> boundaries.add(Date.from(bound)));
    boundaries.add(NEVER_AFTER);
    var result = contracts.aggregate(List.of(
        Aggregates.match(eq("orgId", orgId)),
        Aggregates.facet(
            new Facet("byStatus", Aggregates.group("$status", figure())),
            new Facet("errorAge",
                Aggregates.match(eq("status", Status.ERROR.name())),
                Aggregates.bucket("$errorSince", boundaries, new BucketOptions().defaultBucket("unknown").output(figure()))),
            new Facet("manualRetries",
                Aggregates.match(and(gte("pendingManualRetry.retryOn", retryOnFrom.toString()),
                    lte("pendingManualRetry.retryOn", retryOnTo.toString()))),
                Aggregates.group("$pendingManualRetry.retryOn", figure())))))
        .first();

    var byStatus = new HashMap<Status, Figure>();
    result.getList("byStatus", Document.class).forEach(d -> byStatus.put(Status.valueOf(d.getString("_id")), figure(d)));
    var bands = new HashMap<Date, Figure>();
    result.getList("errorAge", Document.class).stream()
        .filter(d -> d.get("_id") instanceof Date)
        .forEach(d -> bands.put(d.getDate("_id"), figure(d)));
    var errorBands = boundaries.subList(0, boundaries.size() - 1).stream()
        .map(lower -> bands.getOrDefault(lower, Figure.NONE))
        .toList();
    Map<LocalDate, Figure> manualRetries = new HashMap<>();
    result.getList("manualRetries", Document.class)
        .forEach(d -> manualRetries.put(LocalDate.parse(d.getString("_id")), figure(d)));
    return new Counts(byStatus, errorBands, manualRetries);
  }

  @Override
  public List<HistoryEntry> recoveries(String orgId, Instant from, Instant until) {
    return entries(and(
        eq("orgId", orgId),
        eq("trigger", Trigger.PAYMENT_SUCCEEDED.name()),
        in("from", Status.RETRYING.name(), Status.ERROR.name()),
        applied(from, until)));
  }

  @Override
  public List<HistoryEntry> manualRetryOutcomes(String orgId, Instant from, Instant until) {
    return entries(and(
        eq("orgId", orgId),
        or(eq("trigger", Trigger.MANUAL_RETRY_FAILED.name()),
            and(eq("trigger", Trigger.PAYMENT_SUCCEEDED.name()), eq("path", ChargeKind.MANUAL_RETRY.name()))),
        applied(from, until)));
  }

  /**
   * The index on organisation, trigger and time serves the match; the sort by contract is the
   * server's (on disk if it must), and the lines reach here one batch at a time.
   */
  @Override
  public void eachContract(String orgId, Instant since, Consumer<List<HistoryEntry>> contractLines) {
    var lines = history.aggregate(List.of(
            Aggregates.match(failureLines(orgId, since)),
            Aggregates.sort(Sorts.ascending("contractId", "at", "version", "_id")),
            Aggregates.project(Projections.exclude("actor", "reason", "eventId"))))
        .allowDiskUse(true)
        .batchSize(2_000)
        .map(ContractDocuments::history);
    var contract = new ArrayList<HistoryEntry>();
    try (var cursor = lines.cursor()) {
      while (cursor.hasNext()) {
        var line = cursor.next();
        if (!contract.isEmpty() && !contract.get(0).contractId().equals(line.contractId())) {
          contractLines.accept(contract);
          contract = new ArrayList<>();
        }
        contract.add(line);
      }
    }
    if (!contract.isEmpty()) {
      contractLines.accept(contract);
    }
  }

  /** The match of {@link #eachContract}: the organisation's applied lines that begin, mark or end a failure, since then. */
  public static Bson failureLines(String orgId, Instant since) {
    return and(
        eq("orgId", orgId),
        or(in("trigger", FAILURE_LINES), and(eq("trigger", Trigger.PAYMENT_SUCCEEDED.name()),
            in("from", Status.RETRYING.name(), Status.ERROR.name()))),
        applied(since, NEVER_AFTER.toInstant()));
  }

  private static Bson applied(Instant from, Instant until) {
    return and(eq("result", Outcome.Result.APPLIED.name()), gte("at", Date.from(from)), lt("at", Date.from(until)));
  }

  private List<HistoryEntry> entries(Bson filter) {
    return history.find(filter).map(ContractDocuments::history).into(new ArrayList<>());
  }

  private static BsonField[] figure() {
    return new BsonField[] {Accumulators.sum("contracts", 1), Accumulators.sum("monthlyYen", "$monthlyYen")};
  }

  private static Figure figure(Document d) {
    return new Figure(((Number) d.get("contracts")).longValue(), ((Number) d.get("monthlyYen")).longValue());
  }
}
