package io.tsuzuku.retry.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Projections;
import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.kit.outbox.MongoOutbox;
import io.tsuzuku.kit.outbox.MongoRelayMarks;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.retry.application.port.ViewStore;
import io.tsuzuku.retry.domain.ContractStatus;
import io.tsuzuku.retry.domain.ContractView;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.Document;

/**
 * The contract views in MongoDB, one document each, written under a revision guard together with
 * the messages each change sends (its outbox).
 */
public final class MongoViewStore implements ViewStore {

  public static final String COLLECTION = "contract_views";

  private final MongoRelayMarks outbox;
  private final MongoCollection<Document> views;

  public MongoViewStore(MongoDatabase database) {
    this.outbox = new MongoRelayMarks(database, COLLECTION);
    this.views = outbox.documents();
    MongoOutbox.createIndexes(views);
  }

  /** The views' outbox, for the relay. */
  public MongoRelayMarks outbox() {
    return outbox;
  }

  @Override
  public Optional<ContractView> find(String contractId) {
    return Optional.ofNullable(views.find(eq("_id", contractId)).first()).map(MongoViewStore::view);
  }

  @Override
  public Map<String, ContractView> findAll(Collection<String> contractIds) {
    var found = new HashMap<String, ContractView>();
    // by _id only: an index answers it on any server
    views.find(in("_id", Set.copyOf(contractIds))).projection(Projections.exclude(MongoOutbox.FIELD))
        .forEach(d -> found.put(d.getString("_id"), view(d)));
    return found;
  }

  @Override
  public boolean save(ContractView view, List<OutboxMessage> messages) {
    return MongoOutbox.save(outbox, document(view, view.revision() + 1), view.revision(), messages);
  }

  @Override
  public Set<String> saveAll(List<Saving> changed) {
    return MongoOutbox.saveAll(outbox, changed.stream()
            .map(v -> new MongoOutbox.Write(document(v.view(), v.view().revision() + 1), v.view().revision(), v.messages())).toList())
        .stream().map(String.class::cast).collect(Collectors.toSet());
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
