package io.tsuzuku.kit;

import com.mongodb.client.MongoClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.bson.Document;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * What a service needs to do its work, as health components that its readiness group includes
 * ({@code /actuator/health/readiness}): {@code broker}, the Kafka cluster answering, and
 * {@code store}, its MongoDB database answering a {@code ping} (a command the MongoDB-wire server
 * of the local stack answers too, unlike Boot's own check). An instance that cannot reach either is
 * alive but not ready: the platform sends it no traffic until they answer again.
 */
@AutoConfiguration(after = {KafkaAutoConfiguration.class, MongoAutoConfiguration.class})
@ConditionalOnClass(HealthIndicator.class)
public class ReadinessAutoConfiguration {

  /** How long a check waits for an answer. */
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  @Bean
  @ConditionalOnBean(KafkaAdmin.class)
  HealthIndicator broker(KafkaAdmin admin) {
    var settings = new java.util.HashMap<>(admin.getConfigurationProperties());
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    return () -> {
      try (var client = AdminClient.create(settings)) {
        var cluster = client.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()));
        var nodes = cluster.nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return Health.up().withDetail("clusterId", cluster.clusterId().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
            .withDetail("brokers", nodes.size()).build();
      } catch (Exception e) {
        return Health.down().withDetail("reason", String.valueOf(e.getMessage())).build();
      }
    };
  }

  @Bean
  @ConditionalOnBean(MongoClient.class)
  HealthIndicator store(MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return () -> {
      try {
        // bounded: the driver would wait for a server up to its selection timeout (30 s)
        CompletableFuture.runAsync(() -> client.getDatabase(database).runCommand(new Document("ping", 1)))
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return Health.up().withDetail("database", database).build();
      } catch (Exception e) {
        return Health.down().withDetail("database", database).withDetail("reason", String.valueOf(e.getMessage())).build();
      }
    };
  }
}
