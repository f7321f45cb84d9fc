package io.tsuzuku.localstack;

import io.tsuzuku.schemas.KafkaAccess;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tsuzuku.infra.embedded.Endpoints;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether the system has finished what it was given, while the demo's clock stands still: every
 * consumer group has read every record of the partitions it holds, no outbox holds a message
 * still to relay ({@code *_to_relay} marks, docs/architecture.md), and neither the topics nor what
 * the demo shows have changed over five looks, half a second at least (the periodic work looks
 * every 0.2 s in the demo, so anything due has started within it). A day of the demo ends only
 * then, so what it prints does not depend on how fast this machine is.
 */
final class Quiescence implements AutoCloseable {

  private static final Duration SAMPLE_EVERY = Duration.ofMillis(100);
  private static final int QUIET_SAMPLES = 5;
  private static final Duration AT_MOST = Duration.ofMinutes(2);

  private final Admin kafka;
  private final MongoClient mongo;
  /** Every partition of every topic: the deployment declared them all before the demo began. */
  private Map<TopicPartition, OffsetSpec> partitions;

  Quiescence(Endpoints endpoints) {
    var properties = new Properties();
    properties.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    this.kafka = Admin.create(properties);
    this.mongo = MongoClients.create(endpoints.mongoUri());
  }

  /** What one look saw: what is still to do, and what has been done (to see whether it moves). */
  private record Sample(long unread, long toRelay, Map<TopicPartition, Long> written, Object shown) {
    boolean idle() {
      return unread == 0 && toRelay == 0;
    }
  }

  /** Returns once the system has been idle and unchanged over five looks; {@code shown} is what the demo prints. */
  void await(Supplier<?> shown) throws InterruptedException {
    var deadline = System.nanoTime() + AT_MOST.toNanos();
    var assignments = assignments();
    Sample last = null;
    var quiet = 0;
    while (quiet < QUIET_SAMPLES) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the system did not settle within " + AT_MOST + ": " + last);
      }
      Thread.sleep(SAMPLE_EVERY.toMillis()); // sampling a running system, not a test
      var sample = sample(shown, assignments);
      quiet = sample.idle() && last != null && sample.written().equals(last.written()) && Objects.equals(sample.shown(), last.shown())
          ? quiet + 1 : 0;
      last = sample;
    }
  }

  /** The partitions each consumer group holds (a slow call, made once a wait: the groups do not rebalance meanwhile). */
  private Map<String, Set<TopicPartition>> assignments() throws InterruptedException {
    var groups = answer(kafka.listGroups(ListGroupsOptions.forConsumerGroups()).all()).stream().map(GroupListing::groupId).toList();
    var assignments = new HashMap<String, Set<TopicPartition>>();
    for (var group : answer(kafka.describeConsumerGroups(groups).all()).values()) {
      var held = new HashSet<TopicPartition>();
      group.members().forEach(member -> held.addAll(member.assignment().topicPartitions()));
      assignments.put(group.groupId(), held);
    }
    return assignments;
  }

  private Sample sample(Supplier<?> shown, Map<String, Set<TopicPartition>> assignments) throws InterruptedException {
    var written = new HashMap<TopicPartition, Long>();
    answer(kafka.listOffsets(partitions()).all()).forEach((partition, offset) -> written.put(partition, offset.offset()));
    var committed = answer(kafka.listConsumerGroupOffsets(assignments.keySet().stream()
        .collect(Collectors.toMap(group -> group, group -> new ListConsumerGroupOffsetsSpec()))).all());
    var unread = 0L;
    for (var assigned : assignments.entrySet()) {
      var read = committed.getOrDefault(assigned.getKey(), Map.of());
      for (var partition : assigned.getValue()) {
        var offset = read.get(partition); // every group starts at the earliest record
        unread += written.getOrDefault(partition, 0L) - (offset == null ? 0 : offset.offset());
      }
    }
    return new Sample(unread, toRelay(), written, shown.get());
  }

  private Map<TopicPartition, OffsetSpec> partitions() throws InterruptedException {
    if (partitions == null) {
      var topics = answer(kafka.listTopics().listings()).stream().map(TopicListing::name).toList();
      var all = new HashMap<TopicPartition, OffsetSpec>();
      answer(kafka.describeTopics(topics).allTopicNames()).values().forEach(topic -> topic.partitions()
          .forEach(partition -> all.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
      partitions = Map.copyOf(all);
    }
    return partitions;
  }

  private long toRelay() {
    var marks = 0L;
    for (var name : mongo.listDatabaseNames()) {
      var database = mongo.getDatabase(name);
      for (var collection : database.listCollectionNames()) {
        if (collection.endsWith("_to_relay")) {
          marks += database.getCollection(collection).countDocuments();
        }
      }
    }
    return marks;
  }

  private static <T> T answer(KafkaFuture<T> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot see whether the system has settled: " + e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public void close() {
    kafka.close();
    mongo.close();
  }
}
