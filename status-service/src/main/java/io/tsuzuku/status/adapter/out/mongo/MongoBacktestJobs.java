package io.tsuzuku.status.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import io.tsuzuku.status.application.BacktestJob;
import io.tsuzuku.status.application.BacktestPolicy;
import io.tsuzuku.status.application.BacktestResult;
import io.tsuzuku.status.application.port.BacktestJobs;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/**
 * Backtests ({@code backtests}, one document a job, read by id and organisation) and each
 * organisation's slot for a running one ({@code backtest_slots}, keyed by the organisation: taking
 * it is an insert that only one instance wins, or taking over a slot silent since before a bound).
 */
public final class MongoBacktestJobs implements BacktestJobs {

  private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

  private final MongoCollection<Document> jobs;
  private final MongoCollection<Document> slots;

  public MongoBacktestJobs(MongoDatabase database) {
    this.jobs = database.getCollection("backtests");
    this.slots = database.getCollection("backtest_slots");
  }

  /** Tries twice: a slot freed between the insert and the takeover is taken by the second insert. */
  @Override
  public boolean claim(String orgId, String jobId, Instant now, Instant staleBefore) {
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        slots.insertOne(new Document("_id", orgId).append("jobId", jobId).append("heardAt", Date.from(now)));
        return true;
      } catch (MongoWriteException e) {
        if (ErrorCategory.fromErrorCode(e.getCode()) != ErrorCategory.DUPLICATE_KEY) {
          throw e;
        }
      }
      var takenOver = slots.updateOne(and(eq("_id", orgId), lt("heardAt", Date.from(staleBefore))),
          Updates.combine(Updates.set("jobId", jobId), Updates.set("heardAt", Date.from(now))));
      if (takenOver.getModifiedCount() == 1) {
        return true;
      }
      if (takenOver.getMatchedCount() == 0 && slots.find(eq("_id", orgId)).first() != null) {
        return false;
      }
    }
    return false;
  }

  @Override
  public void release(String orgId, String jobId) {
    slots.deleteOne(and(eq("_id", orgId), eq("jobId", jobId)));
  }

  @Override
  public void save(BacktestJob job) {
    jobs.replaceOne(eq("_id", job.id()), document(job), UPSERT);
    if (job.state() == BacktestJob.State.RUNNING) {
      slots.updateOne(and(eq("_id", job.orgId()), eq("jobId", job.id())), Updates.set("heardAt", Date.from(job.updatedAt())));
    }
  }

  @Override
  public void touch(String orgId, String jobId, Instant now) {
    jobs.updateOne(and(eq("_id", jobId), eq("orgId", orgId), eq("state", BacktestJob.State.RUNNING.name())),
        Updates.set("updatedAt", Date.from(now)));
    slots.updateOne(and(eq("_id", orgId), eq("jobId", jobId)), Updates.set("heardAt", Date.from(now)));
  }

  @Override
  public Optional<BacktestJob> find(String orgId, String jobId) {
    return Optional.ofNullable(jobs.find(and(eq("_id", jobId), eq("orgId", orgId))).first()).map(MongoBacktestJobs::job);
  }

  private static Document document(BacktestJob job) {
    var p = job.policy();
    var result = job.result();
    return new Document("_id", job.id())
        .append("orgId", job.orgId())
        .append("state", job.state().name())
        .append("from", job.from().toString())
        .append("to", job.to().toString())
        .append("policy", new Document("deadline", p.deadline())
            .append("automaticRetries", p.automaticRetries())
            .append("retryIntervalDays", p.retryIntervalDays())
            .append("retryHardDeclines", p.retryHardDeclines())
            .append("standingRetryDays", p.standingRetryDays())
            .append("cancelAfterMonthsInError", p.cancelAfterMonthsInError()))
        .append("createdAt", Date.from(job.createdAt()))
        .append("updatedAt", Date.from(job.updatedAt()))
        .append("contractsRead", job.contractsRead())
        .append("result", result == null ? null : new Document("asOf", result.asOf().toString())
            .append("failures", result.failures())
            .append("months", result.months().stream().map(m -> new Document("month", m.month().toString())
                .append("actual", side(m.actual())).append("replayed", side(m.replayed()))).toList())
            .append("actual", side(result.actual()))
            .append("replayed", side(result.replayed()))
            .append("assumptions", result.assumptions().stream()
                .map(a -> new Document("code", a.code()).append("text", a.text())).toList()))
        .append("failure", job.failure());
  }

  private static BacktestJob job(Document d) {
    var p = d.get("policy", Document.class);
    var policy = new BacktestPolicy(p.getBoolean("deadline"), p.getInteger("automaticRetries"), p.getInteger("retryIntervalDays"),
        p.getBoolean("retryHardDeclines"), p.getList("standingRetryDays", Integer.class), p.getInteger("cancelAfterMonthsInError"));
    var from = LocalDate.parse(d.getString("from"));
    var to = LocalDate.parse(d.getString("to"));
    var r = d.get("result", Document.class);
    var result = r == null ? null : new BacktestResult(from, to, LocalDate.parse(r.getString("asOf")), policy,
        ((Number) r.get("failures")).longValue(),
        r.getList("months", Document.class).stream().map(m -> new BacktestResult.MonthEnd(YearMonth.parse(m.getString("month")),
            side(m.get("actual", Document.class)), side(m.get("replayed", Document.class)))).toList(),
        side(r.get("actual", Document.class)), side(r.get("replayed", Document.class)), r.getList("assumptions", Document.class).stream()
            .map(a -> new BacktestResult.Assumption(a.getString("code"), a.getString("text"))).toList());
    return new BacktestJob(d.getString("_id"), d.getString("orgId"), BacktestJob.State.valueOf(d.getString("state")), from, to,
        policy, d.getDate("createdAt").toInstant(), d.getDate("updatedAt").toInstant(), ((Number) d.get("contractsRead")).longValue(),
        result, d.getString("failure"));
  }

  private static Document side(BacktestResult.Side side) {
    return new Document("recovered", side.recovered()).append("cancelled", side.cancelled()).append("recoveredYen", side.recoveredYen());
  }

  private static BacktestResult.Side side(Document d) {
    return new BacktestResult.Side(((Number) d.get("recovered")).longValue(), ((Number) d.get("cancelled")).longValue(),
        ((Number) d.get("recoveredYen")).longValue());
  }
}
