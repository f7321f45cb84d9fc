package io.tsuzuku.retry.adapter.out.mongo;

import io.tsuzuku.kit.MongoInserts;
import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.retry.application.port.ViewStore;
import io.tsuzuku.retry.domain.ContractStatus;
import io.tsuzuku.retry.domain.ContractView;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/** The contract views in MongoDB, one document each, replaced under a revision guard. */
public final class MongoViewStore implements ViewStore {

  private final MongoCollection<Document> views;

  public MongoViewStore(MongoDatabase database) {
    this.views = database.getCollection("contract_views");
  }

  @Override
  public Optional<ContractView> find(String contractId) {
    return Optional.ofNullable(views.find(eq("_id", contractId)).first()).map(MongoViewStore::view);
  }

  @Override
  public boolean save(ContractView view) {
    var document = document(view, view.revision() + 1);
    if (view.revision() == 0) {
      return MongoInserts.insertOnce(views, document);
    }
    return views.replaceOne(and(eq("_id", view.contractId()), eq("revision", view.revision())), document)
        .getModifiedCount() == 1;
  }

  private static Document document(ContractView v, long revision) {
    var calendar = v.calendar() == null ? null
        : new Document("interval", v.calendar().interval().name())
            .append("anchorDay", v.calendar().anchorDay())
            .append("anchorMonth", v.calendar().anchorMonth());
    return new Document("_id", v.contractId())
        .append("orgId", v.orgId())
        .append("cohort", v.cohort() == null ? null : v.cohort().name())
        .append("calendar", calendar)
        .append("status", v.status() == null ? null : v.status().name())
        .append("period", v.period() == null ? null : v.period().toString())
        .append("failureDay", v.failureDay() == null ? null : v.failureDay().toString())
        .append("lastRetryNumber", v.lastRetryNumber())
        .append("recentEventIds", v.recentEventIds())
        .append("revision", revision);
  }

  private static ContractView view(Document d) {
    var calendar = d.get("calendar", Document.class);
    return new ContractView(
        d.getString("_id"),
        d.getString("orgId"),
        d.getString("cohort") == null ? null : ContractView.Cohort.valueOf(d.getString("cohort")),
        calendar == null ? null
            : new BillingCalendar(
                BillingCalendar.Interval.valueOf(calendar.getString("interval")),
                calendar.getInteger("anchorDay"),
                calendar.getInteger("anchorMonth")),
        d.getString("status") == null ? null : ContractStatus.valueOf(d.getString("status")),
        d.getString("period") == null ? null : LocalDate.parse(d.getString("period")),
        d.getString("failureDay") == null ? null : LocalDate.parse(d.getString("failureDay")),
        d.getInteger("lastRetryNumber", 0),
        d.getList("recentEventIds", String.class, List.of()),
        d.getLong("revision"));
  }
}
