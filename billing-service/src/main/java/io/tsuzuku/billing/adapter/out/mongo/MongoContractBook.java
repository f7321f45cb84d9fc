package io.tsuzuku.billing.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import io.tsuzuku.billing.application.port.BillingRunLog;
import io.tsuzuku.billing.application.port.ContractBookStore;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.calendar.BillingCalendar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/** The contract book and the billing-run log in MongoDB. Dates are ISO strings: they sort as dates. */
public final class MongoContractBook implements ContractBookStore, BillingRunLog {

  private final MongoCollection<Document> contracts;
  private final MongoCollection<Document> runs;

  public MongoContractBook(MongoDatabase database) {
    contracts = database.getCollection("billed_contracts");
    runs = database.getCollection("billing_runs");
    contracts.createIndex(Indexes.ascending("status", "nextChargeOn", "_id"));
  }

  @Override
  public Optional<BilledContract> find(String contractId) {
    return Optional.ofNullable(contracts.find(eq("_id", contractId)).first()).map(MongoContractBook::contract);
  }

  @Override
  public void save(BilledContract c) {
    contracts.replaceOne(eq("_id", c.contractId()), document(c), new ReplaceOptions().upsert(true));
  }

  @Override
  public List<BilledContract> dueOn(LocalDate day, String afterId, int limit) {
    var conditions = new ArrayList<Bson>(List.of(eq("status", "ACTIVE"), ne("nextChargeOn", null), lte("nextChargeOn", day.toString())));
    if (afterId != null) {
      conditions.add(gt("_id", afterId));
    }
    return contracts.find(and(conditions)).sort(Sorts.ascending("_id")).limit(limit)
        .map(MongoContractBook::contract).into(new ArrayList<>());
  }

  @Override
  public boolean claim(LocalDate day) {
    try {
      runs.insertOne(new Document("_id", day.toString()));
      return true;
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void release(LocalDate day) {
    runs.deleteOne(eq("_id", day.toString()));
  }

  private static Document document(BilledContract c) {
    return new Document("_id", c.contractId())
        .append("orgId", c.orgId())
        .append("cohort", c.cohort().name())
        .append("interval", c.calendar().interval().name())
        .append("anchorDay", c.calendar().anchorDay())
        .append("anchorMonth", c.calendar().anchorMonth())
        .append("amountYen", c.amountYen())
        .append("paymentMethodToken", c.paymentMethodToken())
        .append("status", c.status())
        .append("nextChargeOn", c.nextChargeOn() == null ? null : c.nextChargeOn().toString());
  }

  private static BilledContract contract(Document d) {
    return new BilledContract(
        d.getString("_id"),
        d.getString("orgId"),
        BilledContract.Cohort.valueOf(d.getString("cohort")),
        new BillingCalendar(BillingCalendar.Interval.valueOf(d.getString("interval")), d.getInteger("anchorDay"), d.getInteger("anchorMonth")),
        d.getLong("amountYen"),
        d.getString("paymentMethodToken"),
        d.getString("status"),
        d.getString("nextChargeOn") == null ? null : LocalDate.parse(d.getString("nextChargeOn")));
  }
}
