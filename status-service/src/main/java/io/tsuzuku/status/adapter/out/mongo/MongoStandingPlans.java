package io.tsuzuku.status.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.tsuzuku.status.application.BulkResult;
import io.tsuzuku.status.application.PlanRun;
import io.tsuzuku.status.application.PlanSchedule;
import io.tsuzuku.status.application.StandingPlan;
import io.tsuzuku.status.application.port.StandingPlans;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;

/**
 * Standing retry plans ({@code standing_plans}), their runs ({@code standing_plan_runs}, keyed by
 * plan and date, so a run is inserted once; its owner and lease say which instance runs it) and
 * the runs' results ({@code standing_plan_results}, one document a run and contract, written again
 * unchanged when a group is acted on again).
 */
public final class MongoStandingPlans implements StandingPlans {

  private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

  private final MongoCollection<Document> plans;
  private final MongoCollection<Document> runs;
  private final MongoCollection<Document> results;

  public MongoStandingPlans(MongoDatabase database) {
    this.plans = database.getCollection("standing_plans");
    this.runs = database.getCollection("standing_plan_runs");
    this.results = database.getCollection("standing_plan_results");
    plans.createIndex(Indexes.ascending("orgId"));
    plans.createIndex(Indexes.ascending("paused", "nextRunAt"));
    runs.createIndex(Indexes.ascending("orgId", "planId", "runOn"));
    results.createIndex(Indexes.ascending("runId", "position"));
  }

  @Override
  public void insert(StandingPlan plan) {
    plans.insertOne(document(plan));
  }

  @Override
  public long count(String orgId) {
    return plans.countDocuments(eq("orgId", orgId));
  }

  @Override
  public Optional<StandingPlan> find(String orgId, String planId) {
    return Optional.ofNullable(plans.find(and(eq("_id", planId), eq("orgId", orgId))).first()).map(MongoStandingPlans::plan);
  }

  @Override
  public List<StandingPlan> list(String orgId) {
    return plans.find(eq("orgId", orgId)).sort(Sorts.ascending("createdAt", "_id")).map(MongoStandingPlans::plan)
        .into(new ArrayList<>());
  }

  @Override
  public boolean replace(StandingPlan plan) {
    return plans.replaceOne(and(eq("_id", plan.planId()), eq("orgId", plan.orgId()), eq("version", plan.version() - 1)),
        document(plan)).getModifiedCount() == 1;
  }

  @Override
  public boolean delete(String orgId, String planId) {
    return plans.deleteOne(and(eq("_id", planId), eq("orgId", orgId))).getDeletedCount() == 1;
  }

  @Override
  public List<StandingPlan> due(Instant now) {
    return plans.find(and(eq("paused", false), lte("nextRunAt", Date.from(now)))).map(MongoStandingPlans::plan)
        .into(new ArrayList<>());
  }

  @Override
  public void advance(String planId, Instant runAt, Instant nextRunAt, LocalDate ranOn) {
    plans.updateOne(and(eq("_id", planId), eq("nextRunAt", Date.from(runAt))), Updates.combine(
        Updates.set("nextRunAt", Date.from(nextRunAt)), Updates.set("lastRunOn", ranOn.toString()), Updates.inc("version", 1)));
  }

  @Override
  public Claim claim(PlanRun run, String owner, Instant now, Instant leaseUntil) {
    try {
      runs.insertOne(document(run).append("owner", owner).append("leaseUntil", Date.from(leaseUntil)));
      return Claim.TAKEN;
    } catch (MongoWriteException e) {
      if (ErrorCategory.fromErrorCode(e.getCode()) != ErrorCategory.DUPLICATE_KEY) {
        throw e;
      }
    }
    var takenOver = runs.updateOne(
        and(eq("_id", run.runId()), eq("state", PlanRun.State.RUNNING.name()), lt("leaseUntil", Date.from(now))),
        Updates.combine(Updates.set("owner", owner), Updates.set("leaseUntil", Date.from(leaseUntil)), Updates.inc("takeovers", 1)));
    if (takenOver.getModifiedCount() == 1) {
      return Claim.TAKEN;
    }
    return run(run.runId()).map(stored -> stored.state() == PlanRun.State.RUNNING ? Claim.BUSY : Claim.ENDED)
        .orElse(Claim.BUSY);
  }

  @Override
  public Optional<PlanRun> run(String runId) {
    return Optional.ofNullable(runs.find(eq("_id", runId)).first()).map(MongoStandingPlans::run);
  }

  @Override
  public boolean resolve(String runId, String owner, List<String> contractIds, Instant leaseUntil) {
    return runs.updateOne(owned(runId, owner), Updates.combine(Updates.set("contractIds", contractIds),
        Updates.set("leaseUntil", Date.from(leaseUntil)))).getModifiedCount() == 1;
  }

  @Override
  public boolean progress(String runId, String owner, int done, List<PlanRun.Result> acted, Instant leaseUntil) {
    var position = done - acted.size();
    var writes = new ArrayList<ReplaceOneModel<Document>>();
    for (var result : acted) {
      var id = runId + ":" + result.contractId();
      writes.add(new ReplaceOneModel<>(eq("_id", id), new Document("_id", id).append("runId", runId)
          .append("position", position++).append("contractId", result.contractId()).append("outcome", result.outcome().name())
          .append("reason", result.reason()).append("detail", result.detail()).append("amountYen", result.amountYen()), UPSERT));
    }
    if (!writes.isEmpty()) {
      results.bulkWrite(writes);
    }
    return runs.updateOne(owned(runId, owner), Updates.combine(Updates.set("done", done),
        Updates.set("leaseUntil", Date.from(leaseUntil)))).getModifiedCount() == 1;
  }

  @Override
  public void finish(String runId, String owner, PlanRun.State state, Instant at, Map<BulkResult.Outcome, Long> summary,
      long retriedYen) {
    var counts = new Document();
    summary.forEach((outcome, count) -> counts.append(outcome.name(), count));
    runs.updateOne(owned(runId, owner), Updates.combine(Updates.set("state", state.name()),
        Updates.set("finishedAt", Date.from(at)), Updates.set("summary", counts), Updates.set("retriedYen", retriedYen),
        Updates.unset("leaseUntil")));
  }

  @Override
  public void missed(PlanRun run) {
    try {
      runs.insertOne(document(run));
    } catch (MongoWriteException e) {
      if (ErrorCategory.fromErrorCode(e.getCode()) != ErrorCategory.DUPLICATE_KEY) {
        throw e;
      }
    }
  }

  @Override
  public List<PlanRun> runs(String orgId, String planId, int limit) {
    return runs.find(and(eq("orgId", orgId), eq("planId", planId))).projection(new Document("contractIds", 0))
        .sort(Sorts.descending("runOn")).limit(limit).map(MongoStandingPlans::run).into(new ArrayList<>());
  }

  @Override
  public List<PlanRun.Result> results(String runId) {
    return results.find(eq("runId", runId)).sort(Sorts.ascending("position"))
        .map(d -> new PlanRun.Result(d.getString("contractId"), BulkResult.Outcome.valueOf(d.getString("outcome")),
            d.getString("reason"), d.getString("detail"), ((Number) d.get("amountYen")).longValue()))
        .into(new ArrayList<>());
  }

  private static org.bson.conversions.Bson owned(String runId, String owner) {
    return and(eq("_id", runId), eq("owner", owner), eq("state", PlanRun.State.RUNNING.name()));
  }

  private static Document document(StandingPlan plan) {
    var s = plan.schedule();
    var f = plan.filter();
    return new Document("_id", plan.planId())
        .append("orgId", plan.orgId())
        .append("name", plan.name())
        .append("schedule", new Document("kind", s.kind().name()).append("day", s.day()).append("nth", s.nth())
            .append("weekday", s.weekday() == null ? null : s.weekday().name()).append("time", s.time().toString()))
        .append("filter", new Document("minMonthsInError", f.minMonthsInError()).append("maxMonthsInError", f.maxMonthsInError())
            .append("finalNoticeSent", f.finalNoticeSent()))
        .append("paused", plan.paused())
        .append("nextRunAt", Date.from(plan.nextRunAt()))
        .append("lastRunOn", plan.lastRunOn() == null ? null : plan.lastRunOn().toString())
        .append("createdBy", plan.createdBy())
        .append("createdAt", Date.from(plan.createdAt()))
        .append("version", plan.version());
  }

  private static StandingPlan plan(Document d) {
    var s = d.get("schedule", Document.class);
    var f = d.get("filter", Document.class);
    return new StandingPlan(d.getString("_id"), d.getString("orgId"), d.getString("name"),
        new PlanSchedule(PlanSchedule.Kind.valueOf(s.getString("kind")), s.getInteger("day"), s.getInteger("nth"),
            s.getString("weekday") == null ? null : DayOfWeek.valueOf(s.getString("weekday")), LocalTime.parse(s.getString("time"))),
        new StandingPlan.Filter(f.getInteger("minMonthsInError"), f.getInteger("maxMonthsInError"), f.getBoolean("finalNoticeSent")),
        d.getBoolean("paused"), d.getDate("nextRunAt").toInstant(),
        d.getString("lastRunOn") == null ? null : LocalDate.parse(d.getString("lastRunOn")), d.getString("createdBy"),
        d.getDate("createdAt").toInstant(), ((Number) d.get("version")).longValue());
  }

  private static Document document(PlanRun run) {
    return new Document("_id", run.runId())
        .append("planId", run.planId())
        .append("orgId", run.orgId())
        .append("planName", run.planName())
        .append("runOn", run.runOn().toString())
        .append("state", run.state().name())
        .append("startedAt", Date.from(run.startedAt()))
        .append("finishedAt", run.finishedAt() == null ? null : Date.from(run.finishedAt()))
        .append("contractIds", run.contractIds())
        .append("done", run.done())
        .append("takeovers", run.takeovers())
        .append("retriedYen", run.retriedYen());
  }

  private static PlanRun run(Document d) {
    var summary = new EnumMap<BulkResult.Outcome, Long>(BulkResult.Outcome.class);
    var counts = d.get("summary", Document.class);
    if (counts != null) {
      counts.forEach((outcome, count) -> summary.put(BulkResult.Outcome.valueOf(outcome), ((Number) count).longValue()));
    }
    return new PlanRun(d.getString("_id"), d.getString("planId"), d.getString("orgId"), d.getString("planName"),
        LocalDate.parse(d.getString("runOn")), PlanRun.State.valueOf(d.getString("state")), d.getDate("startedAt").toInstant(),
        d.getDate("finishedAt") == null ? null : d.getDate("finishedAt").toInstant(),
        d.containsKey("contractIds") ? d.getList("contractIds", String.class) : null, d.getInteger("done", 0),
        d.getInteger("takeovers", 0), summary,
        ((Number) d.get("retriedYen")).longValue());
  }
}
