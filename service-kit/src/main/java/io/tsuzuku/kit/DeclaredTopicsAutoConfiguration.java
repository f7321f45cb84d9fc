package io.tsuzuku.kit;

import io.tsuzuku.deployment.DeclareTopics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Where a service's credentials may create topics ({@code tsuzuku.topics.declare=true}), it
 * declares the topology ({@link DeclareTopics}) through spring-kafka's {@link KafkaAdmin} while its
 * context starts, before its listeners read: missing topics are created and the configuration of
 * the others aligned. Elsewhere the deployment runs {@code DeclareTopics} once (compose does, the
 * local stack and the tests at their start).
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnProperty(name = "tsuzuku.topics.declare", havingValue = "true")
public class DeclaredTopicsAutoConfiguration {

  @Bean
  KafkaAdmin.NewTopics declaredTopics(
      KafkaAdmin admin,
      @Value("${tsuzuku.topics.partitions:12}") int partitions,
      @Value("${tsuzuku.topics.replicas:0}") short replicas,
      @Value("${tsuzuku.topics.min-insync-replicas:0}") int minInsyncReplicas) {
    admin.setModifyTopicConfigs(true);
    return new KafkaAdmin.NewTopics(topics(partitions, replicas, minInsyncReplicas).toArray(NewTopic[]::new));
  }

  static java.util.List<NewTopic> topics(int partitions, short replicas, int minInsyncReplicas) {
    return DeclareTopics.topology().stream()
        .map(declared -> {
          var topic = TopicBuilder.name(declared.name()).partitions(partitions).configs(declared.configs());
          if (replicas > 0) {
            topic.replicas(replicas);
          }
          if (minInsyncReplicas > 0) {
            topic.config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsyncReplicas));
          }
          return topic.build();
        })
        .toList();
  }
}
