package io.tsuzuku.status.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.ne;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import io.tsuzuku.status.application.ContractFilter;
import io.tsuzuku.status.application.port.ContractSearch;
import io.tsuzuku.status.application.port.SupporterContracts;
import io.tsuzuku.status.domain.Contract;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The administrators' queries. Listing is in contract-id order, and a cursor is the last id seen:
 * contracts that change between two pages are neither repeated nor skipped.
 */
public final class MongoContractSearch implements ContractSearch, SupporterContracts {

  private final MongoCollection<Document> contracts;

  public MongoContractSearch(MongoDatabase database) {
    this.contracts = database.getCollection("contracts");
    contracts.createIndex(Indexes.ascending("orgId", "status", "_id"));
    contracts.createIndex(Indexes.ascending("hasPendingWork"));
    contracts.createIndex(Indexes.ascending("orgId", "supporter.supporterId"));
  }

  @Override
  public List<Contract> of(String orgId, String supporterId) {
    return contracts.find(and(eq("orgId", orgId), eq("supporter.supporterId", supporterId))).sort(Sorts.ascending("_id"))
        .map(document -> ContractDocuments.fromDocument(document).contract())
        .into(new ArrayList<>());
  }

  @Override
  public List<Contract> search(String orgId, ContractFilter filter, String afterId, int limit) {
    var conditions = new ArrayList<Bson>();
    conditions.add(eq("orgId", orgId));
    if (filter.status() != null) {
      conditions.add(eq("status", filter.status().name()));
    }
    if (filter.errorSinceFrom() != null) {
      conditions.add(gte("errorSince", Date.from(filter.errorSinceFrom())));
    }
    if (filter.errorSinceBefore() != null) {
      conditions.add(lt("errorSince", Date.from(filter.errorSinceBefore())));
    }
    if (filter.finalNoticeSent() != null) {
      conditions.add(filter.finalNoticeSent() ? ne("lastFinalNoticeOn", null) : eq("lastFinalNoticeOn", null));
    }
    if (filter.cohort() != null) {
      conditions.add(eq("cohort", filter.cohort().name()));
    }
    if (filter.manualRetryOn() != null) {
      conditions.add(eq("pendingManualRetry.retryOn", filter.manualRetryOn().toString()));
    }
    if (afterId != null) {
      conditions.add(gt("_id", afterId));
    }
    return contracts.find(and(conditions)).sort(Sorts.ascending("_id")).limit(limit)
        .map(document -> ContractDocuments.fromDocument(document).contract())
        .into(new ArrayList<>());
  }
}
