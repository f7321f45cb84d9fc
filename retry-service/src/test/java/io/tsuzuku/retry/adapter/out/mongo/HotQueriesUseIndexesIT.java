package io.tsuzuku.retry.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.kit.outbox.MongoOutbox;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import io.tsuzuku.testkit.ContainerInfrastructure;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;

/**
 * The retry service's hot queries, as MongoDB's planner answers them: from an index, never a
 * collection scan. Only a real MongoDB says (the wire server has no planner and scans every filter
 * but a unique index's keys): the test runs where a Docker engine is present and skips otherwise.
 */
@WithEmbeddedInfrastructure
class HotQueriesUseIndexesIT {

  private static final Instant NOW = Instant.parse("2027-02-08T01:00:00Z");

  @Test
  void theDueJobsTheRelaysAndTheBatchReadsAreAnsweredFromIndexes(Endpoints endpoints) {
    assumeTrue(ContainerInfrastructure.available(),
        "no Docker engine answers: the query plans need a real MongoDB (docs/testing.md, \"Real servers\")");
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var database = client.getDatabase("plans-" + UUID.randomUUID());
      var store = new MongoJobStore(database);
      new MongoViewStore(database);
      for (int i = 0; i < 50; i++) {
        store.schedule(RetryJob.of("c-" + i, "org-1", JobKind.AUTO_RETRY, 1, LocalDate.of(2027, 2, 1), NOW));
      }
      var jobs = database.getCollection(MongoJobStore.COLLECTION);
      var views = database.getCollection(MongoViewStore.COLLECTION);

      assertIndexed(jobs, and(lte("dueAt", Date.from(NOW)),
          or(eq("state", "PENDING"), and(eq("state", "CLAIMED"), lt("leaseUntil", Date.from(NOW))))), "due jobs");
      assertIndexed(jobs, MongoOutbox.pending(), "the relay's pending messages");
      assertIndexed(views, MongoOutbox.pending(), "the relay's pending messages");
      assertIndexed(jobs, in("_id", List.of("c-1:2027-02-01:AUTO_RETRY:1")), "a batch read back");
      assertIndexed(jobs, and(eq("contractId", "c-1"), eq("state", "PENDING")), "a contract's jobs withdrawn");
    }
  }

  private static void assertIndexed(MongoCollection<Document> collection, Bson filter, String query) {
    var plan = collection.find(filter).limit(1_000).explain().toJson();
    assertThat(plan).as(query + ": " + plan).doesNotContain("COLLSCAN");
  }
}
