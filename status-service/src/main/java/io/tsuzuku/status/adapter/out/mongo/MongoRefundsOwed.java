package io.tsuzuku.status.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import io.tsuzuku.status.application.RefundOwed;
import io.tsuzuku.status.application.port.RefundsOwed;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
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
    refunds.replaceOne(eq("_id", r.attemptId()), new Document("_id", r.attemptId())
        .append("contractId", r.contractId()).append("orgId", r.orgId()).append("period", r.period().toString())
        .append("amountYen", r.amountYen()).append("processorReference", r.processorReference())
        .append("chargedAt", Date.from(r.chargedAt())).append("reason", r.reason())
        .append("reportedAt", Date.from(r.reportedAt())), new ReplaceOptions().upsert(true));
  }

  @Override
  public List<RefundOwed> ofOrganisation(String orgId) {
    return refunds.find(eq("orgId", orgId)).sort(new Document("chargedAt", -1))
        .map(d -> new RefundOwed(d.getString("_id"), d.getString("contractId"), d.getString("orgId"),
            LocalDate.parse(d.getString("period")), d.getLong("amountYen"), d.getString("processorReference"),
            d.getDate("chargedAt").toInstant(), d.getString("reason"), d.getDate("reportedAt").toInstant()))
        .into(new ArrayList<>());
  }
}
