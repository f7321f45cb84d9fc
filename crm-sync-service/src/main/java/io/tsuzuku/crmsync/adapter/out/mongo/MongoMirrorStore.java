package io.tsuzuku.crmsync.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.tsuzuku.crmsync.application.MirroredContract;
import io.tsuzuku.crmsync.application.port.MirrorStore;
import io.tsuzuku.crmsync.domain.ContractState;
import io.tsuzuku.crmsync.domain.Rejection;
import io.tsuzuku.crmsync.domain.Status;
import io.tsuzuku.kit.BatchFailedAt;
import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.MongoInserts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * One document per contract in {@code crm_contracts}, keyed by contract id: the latest state, the
 * fields last written to Salesforce, and the sync's bookkeeping. Every change is one atomic
 * update of one document; the version guard keeps a stale state from replacing a newer one. The
 * guarded writes filter on exactly {@code _id} and {@code version}, the keys of a unique index, so
 * that a server that answers only such filters from an index (the embedded MongoDB-wire server)
 * finds the document by key instead of reading every contract.
 */
public final class MongoMirrorStore implements MirrorStore {

  private final MongoCollection<Document> contracts;

  public MongoMirrorStore(MongoDatabase database) {
    this.contracts = database.getCollection("crm_contracts");
    contracts.createIndex(Indexes.ascending("orgId", "pending", "dueAt"));
    contracts.createIndex(Indexes.ascending("orgId", "_id"));
    contracts.createIndex(Indexes.ascending("_id", "version"), new IndexOptions().unique(true));
  }

  /**
   * Reads the contract's kept version by id, then replaces the state guarded by exactly that
   * version (or inserts the first); another writer in between makes it read again. The first
   * state's organisation is the contract's for good: a state naming another is unprocessable.
   */
  @Override
  public boolean keepLatest(ContractState state, String traceParent, Instant now) {
    while (true) {
      var kept = contracts.find(byId(state.contractId())).projection(KEPT).first();
      if (kept == null) {
        if (MongoInserts.insertOnce(contracts, first(state, traceParent, now))) {
          return true;
        }
        continue; // a racing state came first: compare with it
      }
      var version = keptVersion(kept, state);
      if (version >= state.version()) {
        return false; // a redelivery, or a stale record
      }
      if (contracts.updateOne(byId(state.contractId()).append("version", version), newer(state, traceParent, now))
          .getMatchedCount() > 0) {
        return true;
      }
    }
  }

  /**
   * One read of the contracts' kept versions by id, then the newest state of each contract in one
   * unordered bulk insert (contracts not kept yet) and one unordered bulk write of updates guarded
   * by the version read. When another writer came first (an id taken, fewer updates matched than
   * sent: the result counts them, it does not name them), those states are kept one by one
   * ({@link #keepLatest}), which finds a state already kept and changes nothing.
   */
  @Override
  public List<Boolean> keepAllLatest(List<Incoming> states, Instant now) {
    var known = new HashMap<String, Long>();
    var orgs = new HashMap<String, String>();
    contracts.find(in("_id", states.stream().map(i -> i.state().contractId()).distinct().toList())).projection(KEPT)
        .forEach(d -> {
          known.put(d.getString("_id"), d.get("version", Number.class).longValue());
          orgs.put(d.getString("_id"), d.getString("orgId"));
        });
    var results = new ArrayList<Boolean>();
    var newest = new LinkedHashMap<String, Incoming>();
    RuntimeException failure = null;
    for (var incoming : states) {
      var state = incoming.state();
      var org = orgs.get(state.contractId());
      if (org != null && !org.equals(state.orgId())) {
        failure = new ForeignOrganisationException(state.contractId(), org, state.orgId());
        break;
      }
      var earlier = newest.get(state.contractId());
      var latest = earlier != null ? Long.valueOf(earlier.state().version()) : known.get(state.contractId());
      var keep = latest == null || latest < state.version();
      results.add(keep);
      if (keep) {
        newest.put(state.contractId(), incoming);
        orgs.put(state.contractId(), state.orgId());
      }
    }
    var fresh = newest.values().stream().filter(i -> !known.containsKey(i.state().contractId())).toList();
    var again = new ArrayList<Incoming>();
    MongoInserts.insertAllOnce(contracts, fresh.stream().map(i -> first(i.state(), i.traceParent(), now)).toList())
        .forEach(position -> again.add(fresh.get(position)));
    var replaced = newest.values().stream().filter(i -> known.containsKey(i.state().contractId())).toList();
    if (!replaced.isEmpty() && contracts.bulkWrite(replaced.stream().<WriteModel<Document>>map(i -> new UpdateOneModel<>(
        byId(i.state().contractId()).append("version", known.get(i.state().contractId())), newer(i.state(), i.traceParent(), now)))
        .toList(), new BulkWriteOptions().ordered(false)).getMatchedCount() < replaced.size()) {
      again.addAll(replaced);
    }
    // kept one by one where another writer came first: a failure then names its own record
    BatchFailedAt.settle(states, failure == null ? states.size() : results.size(), failure, again::contains,
        incoming -> keepLatest(incoming.state(), incoming.traceParent(), now));
    return results;
  }

  private static final Document KEPT = new Document("version", 1).append("orgId", 1);

  /** The version kept of the state's contract; a contract never moves to another organisation. */
  private static long keptVersion(Document kept, ContractState state) {
    if (!state.orgId().equals(kept.getString("orgId"))) {
      throw new ForeignOrganisationException(state.contractId(), kept.getString("orgId"), state.orgId());
    }
    return kept.get("version", Number.class).longValue();
  }

  /** A contract's first state. */
  private static Document first(ContractState state, String traceParent, Instant now) {
    return new Document("_id", state.contractId())
        .append("orgId", state.orgId())
        .append("version", state.version())
        .append("status", state.status().name())
        .append("errorSince", date(state.errorSince()))
        .append("lastFailureCode", state.lastFailureCode())
        .append("nextRetryAt", date(state.nextRetryAt()))
        .append("lastRepaymentRequestOn", state.lastRepaymentRequestOn() == null ? null : state.lastRepaymentRequestOn().toString())
        .append("repaymentRequestsSent", state.repaymentRequestsSent())
        .append("cardUpdatedAt", date(state.cardUpdatedAt()))
        .append("traceParent", traceParent)
        .append("pending", true)
        .append("dueAt", Date.from(now))
        .append("pendingSince", Date.from(now))
        .append("rejections", 0);
  }

  /** A newer state over the one kept: to be written. */
  private static Bson newer(ContractState state, String traceParent, Instant now) {
    return Updates.combine(
        Updates.set("version", state.version()),
        Updates.set("status", state.status().name()),
        Updates.set("errorSince", date(state.errorSince())),
        Updates.set("lastFailureCode", state.lastFailureCode()),
        Updates.set("nextRetryAt", date(state.nextRetryAt())),
        Updates.set("lastRepaymentRequestOn", state.lastRepaymentRequestOn() == null ? null : state.lastRepaymentRequestOn().toString()),
        Updates.set("repaymentRequestsSent", state.repaymentRequestsSent()),
        Updates.set("cardUpdatedAt", date(state.cardUpdatedAt())),
        Updates.set("traceParent", traceParent),
        Updates.set("pending", true),
        Updates.set("dueAt", Date.from(now)),
        Updates.min("pendingSince", Date.from(now)));
  }

  @Override
  public List<MirroredContract> due(String orgId, Instant now, int limit) {
    return list(
        contracts.find(and(eq("orgId", orgId), eq("pending", true), lte("dueAt", Date.from(now))))
            .sort(Sorts.ascending("pendingSince", "_id"))
            .limit(limit));
  }

  /**
   * One bulk write for the batch: the state that was sent is done. Where a newer state came
   * meanwhile (fewer matched than sent), only what Salesforce shows is recorded for those.
   */
  @Override
  public void markSynced(List<Written> written) {
    if (written.isEmpty()) {
      return;
    }
    var done = written.stream()
        .<WriteModel<Document>>map(w -> new UpdateOneModel<>(
            byId(w.contractId()).append("version", w.version()),
            Updates.combine(shows(w), Updates.set("pending", false), Updates.unset("pendingSince"),
                Updates.unset("dueAt"), Updates.unset("resendReason"))))
        .toList();
    if (contracts.bulkWrite(done).getMatchedCount() < written.size()) {
      contracts.bulkWrite(written.stream()
          .<WriteModel<Document>>map(w -> new UpdateOneModel<>(byId(w.contractId()).append("version", new Document("$ne", w.version())), shows(w)))
          .toList());
    }
  }

  private static Bson shows(Written w) {
    return Updates.combine(
        Updates.set("written", new Document(w.fields())),
        Updates.set("writtenAt", date(w.at())),
        Updates.unset("rejection"),
        Updates.unset("rejectedAt"),
        Updates.set("rejections", 0));
  }

  @Override
  public void markRejected(String contractId, long version, Rejection rejection, Instant rejectedAt, Instant retryAt) {
    // a newer state that came meanwhile is sent at once, as its own attempt: nothing to keep then
    contracts.updateOne(
        byId(contractId).append("version", version),
        Updates.combine(
            Updates.set("rejection", new Document("code", rejection.code()).append("message", rejection.message()).append("hint", rejection.hint())),
            Updates.inc("rejections", 1),
            Updates.set("rejectedAt", Date.from(rejectedAt)),
            Updates.set("dueAt", Date.from(retryAt))));
  }

  @Override
  public List<MirroredContract> page(String orgId, String afterContractId, int limit) {
    return list(contracts.find(and(eq("orgId", orgId), gt("_id", afterContractId))).sort(Sorts.ascending("_id")).limit(limit));
  }

  @Override
  public void markForResend(Collection<String> contractIds, Instant now, String reason) {
    if (contractIds.isEmpty()) {
      return;
    }
    contracts.updateMany(
        in("_id", contractIds),
        Updates.combine(
            Updates.set("pending", true),
            Updates.set("dueAt", Date.from(now)),
            Updates.min("pendingSince", Date.from(now)),
            Updates.set("resendReason", reason)));
  }

  @Override
  public List<MirroredContract> rejected(String orgId, String afterContractId, int limit) {
    return list(
        contracts.find(and(eq("orgId", orgId), exists("rejection"), gt("_id", afterContractId))).sort(Sorts.ascending("_id")).limit(limit));
  }

  @Override
  public int resendRejected(String orgId, Collection<String> contractIds, Instant now) {
    var filter = new ArrayList<Bson>(List.of(eq("orgId", orgId), exists("rejection")));
    if (!contractIds.isEmpty()) {
      filter.add(in("_id", contractIds));
    }
    return (int) contracts.updateMany(and(filter), Updates.set("dueAt", Date.from(now))).getMatchedCount();
  }

  @Override
  public Optional<MirroredContract> find(String orgId, String contractId) {
    return Optional.ofNullable(contracts.find(byId(contractId).append("orgId", orgId)).first()).map(MongoMirrorStore::contract);
  }

  @Override
  public Backlog backlog(String orgId, String reason) {
    return new Backlog(
        contracts.countDocuments(and(eq("orgId", orgId), eq("pending", true))),
        contracts.countDocuments(and(eq("orgId", orgId), exists("rejection"))),
        contracts.countDocuments(and(eq("orgId", orgId), eq("pending", true), eq("resendReason", reason))));
  }

  /** How many contracts of every organisation wait to be written, or were rejected. */
  public long count(boolean rejected) {
    return contracts.countDocuments(rejected ? exists("rejection") : eq("pending", true));
  }

  /**
   * A filter with {@code _id} as a plain top-level equality, so that the server looks the
   * document up by its key (the MongoDB-wire server of the local stack scans otherwise).
   */
  private static Document byId(String contractId) {
    return new Document("_id", contractId);
  }

  private static List<MirroredContract> list(Iterable<Document> documents) {
    var result = new ArrayList<MirroredContract>();
    documents.forEach(d -> result.add(contract(d)));
    return result;
  }

  private static MirroredContract contract(Document d) {
    var state =
        new ContractState(
            d.getString("orgId"), d.getString("_id"), d.get("version", Number.class).longValue(),
            Status.valueOf(d.getString("status")), instant(d.getDate("errorSince")), d.getString("lastFailureCode"),
            instant(d.getDate("nextRetryAt")),
            d.getString("lastRepaymentRequestOn") == null ? null : java.time.LocalDate.parse(d.getString("lastRepaymentRequestOn")),
            d.getInteger("repaymentRequestsSent", 0),
            instant(d.getDate("cardUpdatedAt")));
    var written = d.get("written", Document.class);
    var rejection = d.get("rejection", Document.class);
    return new MirroredContract(
        state,
        written == null ? null : new LinkedHashMap<>(written),
        instant(d.getDate("writtenAt")),
        Boolean.TRUE.equals(d.getBoolean("pending")),
        instant(d.getDate("pendingSince")),
        instant(d.getDate("dueAt")),
        rejection == null ? null : new Rejection(rejection.getString("code"), rejection.getString("message"), rejection.getString("hint")),
        d.get("rejections", 0),
        instant(d.getDate("rejectedAt")),
        d.getString("resendReason"),
        d.getString("traceParent"));
  }

  private static Date date(Instant instant) {
    return instant == null ? null : Date.from(instant);
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
