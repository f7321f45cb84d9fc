package io.tsuzuku.crmsync.salesforce;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.tsuzuku.crmsync.application.LoginUrlPolicy;
import io.tsuzuku.crmsync.application.Organisation;
import io.tsuzuku.crmsync.domain.SalesforceMapping;
import io.tsuzuku.standins.FakeSalesforce;
import io.tsuzuku.infra.embedded.EmbeddedMongoServer;
import java.util.UUID;

/** A MongoDB-wire server in memory for the fast tests, and organisations pointing at a fake org. */
public final class TestOrganisations implements AutoCloseable {

  /** Salesforce's My Domain hosts and the stub orgs on the loopback address, as the local stack allows. */
  public static final LoginUrlPolicy LOCAL_URLS = LoginUrlPolicy.salesforceAnd(java.util.List.of("http://127.0.0.1:*"));

  private final EmbeddedMongoServer server = EmbeddedMongoServer.start(null, 0);
  private final MongoClient client = MongoClients.create(server.uri());

  public MongoDatabase database() {
    return client.getDatabase("crm-sync-test-" + UUID.randomUUID());
  }

  /** An organisation whose integration writes {@code Status__c} of {@code Recurring_Contract__c}. */
  public static Organisation organisation(String orgId, FakeSalesforce salesforce) {
    return new Organisation(
        orgId,
        new Organisation.Connection(salesforce.url(), FakeSalesforce.CLIENT_ID, FakeSalesforce.CLIENT_SECRET),
        SalesforceMapping.custom("Recurring_Contract__c", "Tsuzuku_Contract_Id__c", "Status__c"),
        1,
        Organisation.SyncState.NEW);
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
