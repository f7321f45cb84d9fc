package io.tsuzuku.retry.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.tsuzuku.kit.Traces;
import io.tsuzuku.kit.outbox.MongoOutbox;
import io.tsuzuku.kit.outbox.MongoRelayMarks;
import io.tsuzuku.retry.application.port.JobStore;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import io.tsuzuku.retry.domain.RetryPlan.JobChange;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Jobs in MongoDB, one document each, keyed by attempt id. Claiming a job is one atomic update
 * that takes a lease (a batch of them in one bulk write), so two instances never claim the same job, and a job whose
 * instance died is claimed again when its lease has run out. A finished job keeps the command its
 * run sends in its outbox until the relay has published it.
 */
public final class MongoJobStore implements JobStore {

  public static final String COLLECTION = "retry_jobs";

  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

  private final MongoRelayMarks outbox;
  private final MongoCollection<Document> jobs;

  public MongoJobStore(MongoDatabase database) {
    this.outbox = new MongoRelayMarks(database, COLLECTION);
    this.jobs = outbox.documents();
    jobs.createIndex(Indexes.ascending("state", "dueAt"));
    jobs.createIndex(Indexes.ascending("contractId", "state"));
    jobs.createIndex(Indexes.ascending("_id", "owner"), new IndexOptions().unique(true));
    MongoOutbox.createIndexes(jobs);
  }

  @Override
  public void schedule(RetryJob job) {
    jobs.updateOne(eq("_id", job.jobId()), scheduled(job), new UpdateOptions().upsert(true));
  }

  @Override
  public int withdraw(String contractId, Set<JobKind> kinds, String keepJobId) {
    return (int) jobs.updateMany(pending(contractId, new JobChange.Withdraw(kinds, keepJobId)), withdrawn()).getModifiedCount();
  }

  @Override
  public int withdrawManualRetry(String contractId, Instant dueAt) {
    return (int) jobs.updateMany(pending(contractId, new JobChange.WithdrawManualRetry(dueAt)), withdrawn()).getModifiedCount();
  }

  @Override
  public int withdrawUpTo(String contractId, LocalDate period) {
    return (int) jobs.updateMany(pending(contractId, new JobChange.WithdrawUpTo(period)), withdrawn()).getModifiedCount();
  }

  /** Every change in one ordered bulk write: each applies as its own method's write would, in turn. */
  @Override
  public void writeAll(List<Change> changes) {
    if (changes.isEmpty()) {
      return;
    }
    jobs.bulkWrite(changes.stream().<WriteModel<Document>>map(c -> c.change() instanceof JobChange.Schedule schedule
        ? new UpdateOneModel<>(eq("_id", schedule.job().jobId()), scheduled(schedule.job()), new UpdateOptions().upsert(true))
        : new UpdateManyModel<>(pending(c.contractId(), c.change()), withdrawn())).toList());
  }

  /** A job inserted once: scheduling it again changes nothing. */
  private static Bson scheduled(RetryJob job) {
    return Updates.combine(
        Updates.setOnInsert("contractId", job.contractId()),
        Updates.setOnInsert("orgId", job.orgId()),
        Updates.setOnInsert("kind", job.kind().name()),
        Updates.setOnInsert("number", job.number()),
        Updates.setOnInsert("period", job.period().toString()),
        Updates.setOnInsert("dueAt", Date.from(job.dueAt())),
        Updates.setOnInsert("state", State.PENDING.name()),
        Updates.setOnInsert("revision", 0L),
        // the trace of the record being handled, which the job's command continues
        Updates.setOnInsert("traceParent", job.traceParent() != null ? job.traceParent() : Traces.current()));
  }

  /** The contract's pending jobs a withdrawal ends. */
  private static Bson pending(String contractId, JobChange withdrawal) {
    var conditions = new ArrayList<Bson>(List.of(eq("contractId", contractId), eq("state", State.PENDING.name())));
    if (withdrawal instanceof JobChange.Withdraw withdraw) {
      conditions.add(in("kind", withdraw.kinds().stream().map(Enum::name).toList()));
      if (withdraw.keepJobId() != null) {
        conditions.add(ne("_id", withdraw.keepJobId()));
      }
    } else if (withdrawal instanceof JobChange.WithdrawManualRetry withdraw) {
      conditions.add(eq("kind", JobKind.MANUAL_RETRY.name()));
      if (withdraw.dueAt() != null) {
        conditions.add(eq("dueAt", Date.from(withdraw.dueAt())));
      }
    } else if (withdrawal instanceof JobChange.WithdrawUpTo withdraw) {
      conditions.add(lte("period", withdraw.period().toString()));
    } else {
      throw new IllegalArgumentException("not a withdrawal: " + withdrawal);
    }
    return and(conditions);
  }

  private static Bson withdrawn() {
    return Updates.combine(Updates.set("state", State.WITHDRAWN.name()), Updates.inc("revision", 1L));
  }

  /**
   * One query finds due candidates, unsorted (a pass claims batch after batch until none is due,
   * so their order within a pass does not matter, and a server without the index stops reading at
   * the batch's size instead of sorting every due job); one bulk write then claims each by its own atomic
   * update on its id and revision, which every change of a job raises: it succeeds only if nothing
   * changed the job since the query read it (another instance may win some: they are simply not in
   * this batch). A read by id then tells which this owner won (its revision raised by this claim).
   * The update's filter keys are exactly a unique index's, and the read is by {@code _id}, so a
   * server that answers only such filters from an index looks each job up by key.
   */
  @Override
  public List<RetryJob> claimDue(Instant dueBy, String owner, Instant now, Instant leaseUntil, int max) {
    var candidates = jobs.find(claimable(dueBy, now)).limit(max)
        .projection(new Document("_id", 1).append("revision", 1)).into(new ArrayList<>());
    if (candidates.isEmpty()) {
      return List.of();
    }
    var claim = Updates.combine(
        Updates.set("state", State.CLAIMED.name()),
        Updates.set("owner", owner),
        Updates.set("leaseUntil", Date.from(leaseUntil)),
        Updates.inc("revision", 1L));
    jobs.bulkWrite(candidates.stream()
        .<WriteModel<Document>>map(c -> new UpdateOneModel<>(MongoOutbox.byIdAndRevision(c.get("_id"), c.get("revision")), claim))
        .toList(), UNORDERED);
    var claimedRevision = new HashMap<Object, Long>();
    candidates.forEach(c -> claimedRevision.put(c.get("_id"), c.getLong("revision") + 1));
    var claimed = new ArrayList<RetryJob>();
    jobs.find(in("_id", claimedRevision.keySet())).projection(Projections.exclude(MongoOutbox.FIELD)).forEach(d -> {
      if (owner.equals(d.getString("owner")) && claimedRevision.get(d.get("_id")).equals(d.getLong("revision"))) {
        claimed.add(job(d));
      }
    });
    return claimed;
  }

  private static Bson claimable(Instant dueBy, Instant now) {
    return and(
        lte("dueAt", Date.from(dueBy)),
        or(eq("state", State.PENDING.name()), and(eq("state", State.CLAIMED.name()), lt("leaseUntil", Date.from(now)))));
  }

  /**
   * One bulk write, each update filtered by id and owner (a unique index's keys): only while this
   * instance still holds the claim. When some did not match, a read by id tells which this owner
   * finished (another instance's claim replaced the owner of the others). The jobs finished with
   * messages are marked for the relay.
   */
  @Override
  public Set<String> finish(String owner, List<Finished> finished) {
    if (finished.isEmpty()) {
      return Set.of();
    }
    var writes = new ArrayList<WriteModel<Document>>();
    for (var f : finished) {
      var updates = new ArrayList<Bson>(List.of(
          Updates.set("state", f.state().name()), Updates.unset("leaseUntil"), Updates.inc("revision", 1L)));
      updates.addAll(MongoOutbox.append(f.messages()));
      writes.add(new UpdateOneModel<>(new Document("_id", f.jobId()).append("owner", owner), Updates.combine(updates)));
    }
    var ids = finished.stream().map(Finished::jobId).collect(Collectors.toCollection(LinkedHashSet::new));
    var ours = jobs.bulkWrite(writes, UNORDERED).getMatchedCount() == finished.size() ? ids : finishedBy(owner, finished);
    outbox.mark(finished.stream().filter(f -> !f.messages().isEmpty() && ours.contains(f.jobId())).map(Finished::jobId).toList());
    return ours;
  }

  /** Which of these jobs this owner finished: read by id. */
  private Set<String> finishedBy(String owner, List<Finished> finished) {
    var ours = new HashSet<String>();
    var states = finished.stream().map(f -> f.state().name()).collect(Collectors.toSet());
    jobs.find(in("_id", finished.stream().map(Finished::jobId).toList())).projection(new Document("owner", 1).append("state", 1))
        .forEach(d -> {
          if (owner.equals(d.getString("owner")) && states.contains(d.getString("state"))) {
            ours.add(d.getString("_id"));
          }
        });
    return ours;
  }

  /** The finished jobs' outbox, for the relay. */
  public MongoRelayMarks outbox() {
    return outbox;
  }

  /** How many jobs due by {@code dueBy} have not run yet (pending, or claimed and not finished). */
  public long countWaiting(Instant dueBy) {
    return jobs.countDocuments(and(lte("dueAt", Date.from(dueBy)), in("state", State.PENDING.name(), State.CLAIMED.name())));
  }

  /** A job's state, for tests and operators. */
  public Optional<State> stateOf(String jobId) {
    return Optional.ofNullable(jobs.find(eq("_id", jobId)).first()).map(d -> State.valueOf(d.getString("state")));
  }

  private static RetryJob job(Document d) {
    return new RetryJob(
        d.getString("_id"),
        d.getString("contractId"),
        d.getString("orgId"),
        JobKind.valueOf(d.getString("kind")),
        d.getInteger("number"),
        LocalDate.parse(d.getString("period")),
        d.getDate("dueAt").toInstant(),
        d.getString("traceParent"));
  }
}
