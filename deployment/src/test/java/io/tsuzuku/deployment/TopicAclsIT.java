package io.tsuzuku.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.schemas.KafkaAccess;
import io.tsuzuku.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The ACLs the topology declares, on the real broker: each principal writes only the topics it
 * owns and reads only its inputs; the broker refuses the rest, so an event on an intake topic comes
 * from the principal allowed to write it.
 */
class TopicAclsIT {

  private final Endpoints endpoints = DeployedServers.endpoints();

  @Test
  void aServiceWritesItsOwnTopicsAndIsRefusedAnothersAndTheIntakeTopics() throws Exception {
    assertThat(write("billing-service", Topics.PAYMENT_OUTCOMES.name())).isNotNull();
    assertThat(write("billing-service", Topics.CHARGE_REQUESTED.deadLetterTopic())).as("it reads charge requests").isNotNull();
    assertThat(write("billing-service", Topics.CONTRACT_REGISTERED.parkedTopic("billing-service"))).isNotNull();

    // status-service's statuses, a registration (a form's), the charge requests billing reads (retry's), another's
    // parked records, the dead letters of a topic it does not read
    for (var topic : List.of(Topics.CONTRACT_STATUS_CHANGED.name(), Topics.CONTRACT_REGISTERED.name(),
        Topics.CHARGE_REQUESTED.name(), Topics.CONTRACT_REGISTERED.parkedTopic("status-service"),
        Topics.PAYMENT_OUTCOMES.deadLetterTopic())) {
      assertThatThrownBy(() -> write("billing-service", topic)).as(topic)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void anOutsideTeamWritesOnlyItsIntakeTopicAndReadsOnlyWhatItConsumes() throws Exception {
    assertThat(write("donation-forms", Topics.CONTRACT_REGISTERED.name())).isNotNull();
    assertThatThrownBy(() -> write("donation-forms", Topics.REPAYMENT_SUBMITTED.name()))
        .hasCauseInstanceOf(TopicAuthorizationException.class);
    // a team allowed to write nothing is refused at its first write, before any topic
    assertThatThrownBy(() -> write("analytics", Topics.CONTRACT_STATUS_CHANGED.name()))
        .hasCauseInstanceOf(AuthorizationException.class);

    assertThat(endOffset("analytics", "analytics-dashboards", Topics.CONTRACT_STATUS_CHANGED.name())).isNotNegative();
    assertThatThrownBy(() -> endOffset("analytics", "analytics-dashboards", Topics.CONTRACT_REGISTERED.name()))
        .isInstanceOf(TopicAuthorizationException.class);
    assertThatThrownBy(() -> endOffset("analytics", "status-service", Topics.CONTRACT_STATUS_CHANGED.name()))
        .as("another's consumer group").isInstanceOf(GroupAuthorizationException.class);
    assertThatThrownBy(() -> endOffset("crm-sync-service", "crm-sync-service", Topics.PAYMENT_OUTCOMES.name()))
        .as("a service reading what it does not consume").isInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void noOutsideTeamReadsATopicWhoseRecordsCarryAPaymentTokenAndEachReadsWhatItConsumes() {
    var teams = KafkaAccess.principals().stream()
        .filter(principal -> !principal.equals(KafkaAccess.DEPLOYMENT) && !Topics.SERVICES.contains(principal)).toList();
    assertThat(teams).contains("donation-forms", "analytics", "mailers");
    assertThat(secretFields(Topics.CONTRACT_REGISTERED)).as("the check has tokens to find").isNotEmpty();
    for (var team : teams) {
      // partitions assigned, no consumer group: what is tried is reading each topic itself
      var settings = new HashMap<>(endpoints.kafkaClient(team));
      settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      try (var consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
        for (var topic : Topics.all()) {
          var partition = new TopicPartition(topic.name(), 0);
          consumer.assign(List.of(partition));
          if (topic.readers().stream().map(Topics::principal).anyMatch(team::equals)) {
            assertThat(secretFields(topic)).as(team + " reads " + topic.name()).isEmpty();
            consumer.poll(Duration.ofMillis(200));
          } else {
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5))).as(team + " reads " + topic.name())
                .isInstanceOf(TopicAuthorizationException.class);
          }
        }
      }
    }
  }

  /**
   * The fields of the topic's record types marked secret (docs/events.md, "Personal and secret
   * data"), but for a secret meant for the supporter ({@code deliveredTo}: a re-payment link's
   * token), which the topic's one reader, the mailers, puts in the message.
   */
  private static List<String> secretFields(io.tsuzuku.schemas.Topic<?> topic) {
    var found = new java.util.ArrayList<String>();
    topic.recordTypes().forEach(type -> secretFields(org.apache.avro.specific.SpecificData.get().getSchema(type), found));
    return found;
  }

  private static void secretFields(org.apache.avro.Schema schema, List<String> found) {
    switch (schema.getType()) {
      case UNION -> schema.getTypes().forEach(member -> secretFields(member, found));
      case RECORD -> schema.getFields().forEach(field -> {
        if ("secret".equals(field.getProp("data")) && field.getProp("deliveredTo") == null) {
          found.add(schema.getName() + "." + field.name());
        }
        secretFields(field.schema(), found);
      });
      default -> { }
    }
  }

  @Test
  void declaringAgainRemovesAnAclTheTopologyDoesNotDeclare() throws Exception {
    var stray = new org.apache.kafka.common.acl.AclBinding(
        new org.apache.kafka.common.resource.ResourcePattern(org.apache.kafka.common.resource.ResourceType.TOPIC,
            Topics.CONTRACT_REGISTERED.name(), org.apache.kafka.common.resource.PatternType.LITERAL),
        new org.apache.kafka.common.acl.AccessControlEntry("User:analytics", "*",
            org.apache.kafka.common.acl.AclOperation.WRITE, org.apache.kafka.common.acl.AclPermissionType.ALLOW));
    try (var admin = org.apache.kafka.clients.admin.Admin.create(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT))) {
      admin.createAcls(List.of(stray)).all().get(1, TimeUnit.MINUTES);
    }

    var report = DeclareTopics.apply(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT), 3, (short) 0, 0);

    assertThat(report).contains("removed User:analytics WRITE topic contract-registered").noneMatch(line -> line.startsWith("allowed "));
    assertThatThrownBy(() -> write("analytics", Topics.CONTRACT_REGISTERED.name()))
        .hasCauseInstanceOf(AuthorizationException.class);
  }

  private RecordMetadata write(String principal, String topic) throws Exception {
    var settings = new HashMap<>(endpoints.kafkaClient(principal));
    settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    try (var producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
      return producer.send(new ProducerRecord<>(topic, "acl-check", "not an event")).get(30, TimeUnit.SECONDS);
    }
  }

  private long endOffset(String principal, String group, String topic) {
    var settings = new HashMap<>(endpoints.kafkaClient(principal));
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (var consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
      var partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.poll(Duration.ofSeconds(2));
      consumer.committed(java.util.Set.of(partition), Duration.ofSeconds(10));
      return consumer.position(partition, Duration.ofSeconds(10));
    }
  }
}
