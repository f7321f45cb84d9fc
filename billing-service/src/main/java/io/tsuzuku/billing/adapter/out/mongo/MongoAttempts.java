package io.tsuzuku.billing.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.ne;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import io.tsuzuku.billing.application.Attempt;
import io.tsuzuku.billing.application.port.AttemptStore;
import io.tsuzuku.billing.domain.ChargeKind;
import io.tsuzuku.billing.domain.FailureClass;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/** Charge attempts in MongoDB, one document each, keyed by attempt id (inserted once). */
public final class MongoAttempts implements AttemptStore {

  private final MongoCollection<Document> attempts;

  public MongoAttempts(MongoDatabase database) {
    attempts = database.getCollection("charge_attempts");
    attempts.createIndex(Indexes.ascending("contractId", "createdAt"));
    attempts.createIndex(Indexes.ascending("state"));
    attempts.createIndex(Indexes.ascending("causeEventId"));
  }

  @Override
  public Optional<Attempt> find(String attemptId) {
    return Optional.ofNullable(attempts.find(eq("_id", attemptId)).first()).map(MongoAttempts::attempt);
  }

  @Override
  public boolean recordNew(Attempt attempt) {
    try {
      attempts.insertOne(document(attempt));
      return true;
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void complete(Attempt attempt) {
    attempts.replaceOne(new Document("_id", attempt.attemptId()).append("state", Attempt.State.PENDING.name()), document(attempt));
  }

  @Override
  public List<Instant> attemptTimes(String contractId, Instant since) {
    return attempts.find(and(eq("contractId", contractId), gt("createdAt", Date.from(since)), ne("state", Attempt.State.REFUSED.name())))
        .map(d -> d.getDate("createdAt").toInstant()).into(new ArrayList<>());
  }

  @Override
  public Optional<Attempt> findByCause(String causeEventId) {
    return Optional.ofNullable(attempts.find(eq("causeEventId", causeEventId)).first()).map(MongoAttempts::attempt);
  }

  @Override
  public int countOf(String contractId, LocalDate period, ChargeKind kind) {
    return (int) attempts.countDocuments(and(eq("contractId", contractId), eq("period", period.toString()), eq("kind", kind.name())));
  }

  @Override
  public List<Attempt> pending() {
    return attempts.find(eq("state", Attempt.State.PENDING.name())).map(MongoAttempts::attempt).into(new ArrayList<>());
  }

  private static Document document(Attempt a) {
    return new Document("_id", a.attemptId())
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
        .append("createdAt", Date.from(a.createdAt()))
        .append("finishedAt", a.finishedAt() == null ? null : Date.from(a.finishedAt()))
        .append("causeEventId", a.causeEventId())
        .append("legacyCohort", a.legacyCohort());
  }

  private static Attempt attempt(Document d) {
    return new Attempt(
        d.getString("_id"),
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
        d.getDate("createdAt").toInstant(),
        d.getDate("finishedAt") == null ? null : d.getDate("finishedAt").toInstant(),
        d.getString("causeEventId"),
        d.getBoolean("legacyCohort", false));
  }
}
