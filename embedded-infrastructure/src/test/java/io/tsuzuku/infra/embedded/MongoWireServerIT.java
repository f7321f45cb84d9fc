package io.tsuzuku.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClients;
import java.nio.file.Path;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MongoDB-wire server answers the real driver, and keeps its data across a restart on disk. */
class MongoWireServerIT {

  @Test
  void documentsGoThroughTheRealDriverToTheWireServer() {
    try (var server = EmbeddedMongoServer.start(null, 0); var client = MongoClients.create(server.uri())) {
      var contracts = client.getDatabase("round-trip").getCollection("contracts");
      var id = UUID.randomUUID().toString();

      contracts.insertOne(new Document("_id", id).append("status", "ERROR").append("amountYen", 3000L));

      var found = contracts.find(new Document("_id", id)).first();
      assertThat(found).isNotNull();
      assertThat(found.getString("status")).isEqualTo("ERROR");
      assertThat(found.getLong("amountYen")).isEqualTo(3000L);
    }
  }

  @Test
  void aServerOnADataDirectoryFindsItsDocumentsAfterARestart(@TempDir Path data) {
    try (var server = EmbeddedMongoServer.start(data, 0); var client = MongoClients.create(server.uri())) {
      client.getDatabase("kept").getCollection("contracts").insertOne(new Document("_id", "c-1").append("status", "ACTIVE"));
    }
    try (var server = EmbeddedMongoServer.start(data, 0); var client = MongoClients.create(server.uri())) {
      var found = client.getDatabase("kept").getCollection("contracts").find(new Document("_id", "c-1")).first();
      assertThat(found).isNotNull();
      assertThat(found.getString("status")).isEqualTo("ACTIVE");
    }
  }
}
