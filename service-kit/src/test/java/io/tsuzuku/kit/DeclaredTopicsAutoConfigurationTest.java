package io.tsuzuku.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.deployment.DeclareTopics;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** A service that may create topics declares exactly the topology, with the cluster's settings. */
class DeclaredTopicsAutoConfigurationTest {

  @Test
  void theServiceDeclaresEveryTopicOfTheTopologyWithItsPolicyAndTheClustersSettings() {
    var topics = DeclaredTopicsAutoConfiguration.topics(12, (short) 3, 2);

    assertThat(topics).extracting(NewTopic::name)
        .containsExactlyElementsOf(DeclareTopics.topology().stream().map(DeclareTopics.Declaration::name).toList());
    assertThat(topics).allSatisfy(topic -> {
      assertThat(topic.numPartitions()).isEqualTo(12);
      assertThat(topic.replicationFactor()).isEqualTo((short) 3);
      assertThat(topic.configs()).containsEntry("min.insync.replicas", "2");
    });
    assertThat(topics).filteredOn(topic -> topic.name().equals("contract-status-changed")).singleElement()
        .satisfies(topic -> assertThat(topic.configs()).containsEntry("cleanup.policy", "compact"));
  }
}
