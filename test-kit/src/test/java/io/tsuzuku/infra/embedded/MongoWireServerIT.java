package io.tsuzuku.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClients;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The MongoDB-wire server answers the real driver: a document goes there and back. */
@WithEmbeddedInfrastructure
class MongoWireServerIT {

  @Test
  void documentsGoThroughTheRealDriverToTheWireServer(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var contracts = client.getDatabase("round-trip").getCollection("contracts");
      var id = UUID.randomUUID().toString();

      contracts.insertOne(new Document("_id", id).append("status", "ERROR").append("amountYen", 3000L));

      var found = contracts.find(new Document("_id", id)).first();
      assertThat(found).isNotNull();
      assertThat(found.getString("status")).isEqualTo("ERROR");
      assertThat(found.getLong("amountYen")).isEqualTo(3000L);
    }
  }
}
