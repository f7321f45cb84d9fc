package io.tsuzuku.status.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.tsuzuku.status.application.RefundOwed;
import io.tsuzuku.status.application.port.RefundsOwed;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/** Refunds owed in MongoDB ({@code refunds_required}), one document per attempt id. */
public final class MongoRefundsOwed implements RefundsOwed {

  private final MongoCollection<Document> refunds;

  public MongoRefundsOwed(MongoDatabase database) {
    refunds = database.getCollection("refunds_required");
    refunds.createIndex(Indexes.ascending("orgId", "chargedAt"));
  }

  @Override
  public void record(RefundOwed r) {
    // set on insert only: a RefundRequired delivered again never undoes its RefundIssued
    refunds.updateOne(eq("_id", r.attemptId()), Updates.combine(
        Updates.setOnInsert("contractId", r.contractId()), Updates.setOnInsert("orgId", r.orgId()),
        Updates.setOnInsert("period", r.period().toString()), Updates.setOnInsert("amountYen", r.amountYen()),
        Updates.setOnInsert("processorReference", r.processorReference()),
        Updates.setOnInsert("chargedAt", Date.from(r.chargedAt())), Updates.setOnInsert("reason", r.reason()),
        Updates.setOnInsert("reportedAt", Date.from(r.reportedAt()))), new UpdateOptions().upsert(true));
  }

  @Override
  public void issued(String attemptId, Instant at, String refundReference) {
    refunds.updateOne(eq("_id", attemptId),
        Updates.combine(Updates.set("refundedAt", Date.from(at)), Updates.set("refundReference", refundReference)),
        new UpdateOptions().upsert(true));
  }

  @Override
  public void failed(String attemptId, Instant at, String refundReference, String failure) {
    refunds.updateOne(eq("_id", attemptId), Updates.combine(Updates.set("refundFailedAt", Date.from(at)),
        Updates.set("refundReference", refundReference), Updates.set("refundFailure", failure)), new UpdateOptions().upsert(true));
  }

  @Override
  public Optional<RefundOwed> settle(String orgId, String attemptId, Instant at, String by) {
    var owed = Filters.and(eq("_id", attemptId), eq("orgId", orgId), Filters.exists("chargedAt"));
    refunds.updateOne(Filters.and(owed, eq("settledAt", null)),
        Updates.combine(Updates.set("settledAt", Date.from(at)), Updates.set("settledBy", by)));
    return Optional.ofNullable(refunds.find(owed).first()).map(MongoRefundsOwed::refund);
  }

  @Override
  public Optional<RefundOwed> find(String orgId, String attemptId) {
    return Optional.ofNullable(refunds.find(Filters.and(eq("_id", attemptId), eq("orgId", orgId), Filters.exists("chargedAt"))).first())
        .map(MongoRefundsOwed::refund);
  }

  @Override
  public List<RefundOwed> ofOrganisation(String orgId) {
    // a RefundIssued or RefundFailed that came before its RefundRequired is kept, without the other fields yet
    return refunds.find(Filters.and(eq("orgId", orgId), Filters.exists("chargedAt"))).sort(new Document("chargedAt", -1))
        .map(MongoRefundsOwed::refund)
        .into(new ArrayList<>());
  }

  private static RefundOwed refund(Document d) {
    return new RefundOwed(d.getString("_id"), d.getString("contractId"), d.getString("orgId"),
        LocalDate.parse(d.getString("period")), d.getLong("amountYen"), d.getString("processorReference"),
        d.getDate("chargedAt").toInstant(), d.getString("reason"), d.getDate("reportedAt").toInstant(),
        instant(d.getDate("refundedAt")), d.getString("refundReference"), instant(d.getDate("settledAt")),
        d.getString("settledBy"), instant(d.getDate("refundFailedAt")), d.getString("refundFailure"));
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
