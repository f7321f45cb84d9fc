package io.tsuzuku.deployment;

import io.tsuzuku.schemas.KafkaAccess;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.infra.embedded.EmbeddedKafkaBroker;
import io.tsuzuku.schemas.Topic;
import io.tsuzuku.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** The declared topology on the real broker: every topic and dead-letter topic, as declared, kept so. */
class DeclareTopicsIT {

  @Test
  void everyTopicAndItsDeadLetterTopicExistWithTheirPoliciesAndAStrayChangeIsUndone() throws Exception {
    var endpoints = DeployedServers.endpoints();
    try (var admin = Admin.create(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT))) {
      var names = admin.listTopics().names().get(1, TimeUnit.MINUTES);
      for (var topic : Topics.all()) {
        assertThat(names).contains(topic.name(), topic.name() + Topic.DEAD_LETTER_SUFFIX);
      }
      assertThat(names).contains("contract-registered-parked-billing-service", "contract-status-changed-parked-crm-sync-service");
      assertThat(config(admin, "contract-status-changed", "cleanup.policy")).isEqualTo("compact");
      assertThat(config(admin, "payment-outcomes", "cleanup.policy")).isEqualTo("delete");
      assertThat(config(admin, "payment-outcomes", "retention.ms")).isEqualTo(String.valueOf(Duration.ofDays(14).toMillis()));
      assertThat(config(admin, "payment-outcomes-dlt", "retention.ms")).isEqualTo(String.valueOf(Duration.ofDays(30).toMillis()));
      assertThat(admin.describeTopics(List.of("charge-requested")).allTopicNames().get(1, TimeUnit.MINUTES)
          .get("charge-requested").partitions()).hasSize(EmbeddedKafkaBroker.PARTITIONS);

      var retryEvents = new ConfigResource(ConfigResource.Type.TOPIC, "retry-events");
      admin.incrementalAlterConfigs(Map.of(retryEvents, List.of(
          new AlterConfigOp(new ConfigEntry("retention.ms", "60000"), AlterConfigOp.OpType.SET)))).all().get(1, TimeUnit.MINUTES);

      var report = DeclareTopics.apply(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT), EmbeddedKafkaBroker.PARTITIONS, (short) 0, 0);

      assertThat(report).as("every topic aligned, every ACL already there")
          .hasSize(DeclareTopics.topology().size()).allMatch(line -> line.startsWith("aligned "));
      assertThat(config(admin, "retry-events", "retention.ms")).isEqualTo(String.valueOf(Duration.ofDays(14).toMillis()));
      assertThat(DeclareTopics.apply(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT), 12, (short) 0, 0))
          .anyMatch(line -> line.startsWith("differs charge-requested: 3 partitions, not 12"));
    }
  }

  private static String config(Admin admin, String topic, String name) throws Exception {
    var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get(1, TimeUnit.MINUTES).get(resource).get(name).value();
  }
}
