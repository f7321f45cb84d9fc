package io.tsuzuku.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClients;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.core.KafkaAdmin;

/** A broker or a store that does not answer makes the service not ready, within the checks' timeout. */
class ReadinessAutoConfigurationTest {

  private final ReadinessAutoConfiguration readiness = new ReadinessAutoConfiguration();

  @Test
  void aBrokerThatDoesNotAnswerIsDownWithinTheTimeout() {
    var broker = readiness.broker(new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1")));

    var started = System.nanoTime();
    var health = broker.health();

    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ReadinessAutoConfiguration.TIMEOUT.multipliedBy(3));
  }

  @Test
  void aStoreThatDoesNotAnswerIsDownWithinTheTimeout() {
    try (var client = MongoClients.create("mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=30000")) {
      var store = readiness.store(client, "tsuzuku-test");

      var started = System.nanoTime();
      var health = store.health();

      assertThat(health.getStatus()).isEqualTo(Status.DOWN);
      assertThat(health.getDetails()).containsEntry("database", "tsuzuku-test");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ReadinessAutoConfiguration.TIMEOUT.multipliedBy(2));
    }
  }
}
