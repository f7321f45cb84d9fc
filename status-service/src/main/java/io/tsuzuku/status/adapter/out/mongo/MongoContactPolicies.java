package io.tsuzuku.status.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import io.tsuzuku.status.application.ContactBudget;
import io.tsuzuku.status.application.port.ContactPolicies;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/** The organisations' contact policies in MongoDB ({@code contact_policies}), one document per organisation. */
public final class MongoContactPolicies implements ContactPolicies {

  private final MongoCollection<Document> policies;

  public MongoContactPolicies(MongoDatabase database) {
    policies = database.getCollection("contact_policies");
  }

  @Override
  public ContactBudget.Policy of(String orgId) {
    var d = policies.find(eq("_id", orgId)).first();
    return d == null ? ContactBudget.Policy.DEFAULT : new ContactBudget.Policy(d.getInteger("maxContacts"), d.getInteger("windowDays"),
        LocalTime.parse(d.getString("quietFrom")), LocalTime.parse(d.getString("quietUntil")),
        d.getBoolean("requestOnFirstFailure", false));
  }

  @Override
  public void set(String orgId, ContactBudget.Policy policy) {
    policies.replaceOne(eq("_id", orgId), new Document("_id", orgId).append("maxContacts", policy.maxContacts())
        .append("windowDays", policy.windowDays()).append("quietFrom", policy.quietFrom().toString())
        .append("quietUntil", policy.quietUntil().toString()).append("requestOnFirstFailure", policy.requestOnFirstFailure()),
        new ReplaceOptions().upsert(true));
  }

  @Override
  public List<String> requestingOnFirstFailure() {
    return policies.find(eq("requestOnFirstFailure", true)).projection(new Document("_id", 1))
        .map(d -> d.getString("_id")).into(new ArrayList<>());
  }
}
