package io.tsuzuku.systemtests.model;

import io.tsuzuku.schemas.RecordRules;
import io.tsuzuku.schemas.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;

/**
 * Kafka as the services see it, in memory: a log per topic and key (a contract's records keep
 * their order on a topic, as on its partition), read by each consumer group at its own offset. The
 * model picks which group reads which log next, so records of different topics arrive in any
 * order; a record whose offset is not committed (the consumer died after handling it) comes again.
 */
final class ModelBus {

  /** A log's next record for a consumer group. */
  record Head(String group, String topic, String key, SpecificRecord record) {}

  private final Map<String, Map<String, List<SpecificRecord>>> logs = new LinkedHashMap<>();
  private final Map<String, Integer> offsets = new HashMap<>();
  private final List<String> groups;
  private int published;
  private int committed;

  /** @param groups the consumer groups, by service name as {@link Topics} lists readers */
  ModelBus(List<String> groups) {
    this.groups = List.copyOf(groups);
  }

  /** Appends the record to its type's topic, keyed by contract id; every record must keep the event contract's rules. */
  void publish(String key, SpecificRecord record) {
    RecordRules.check(record);
    logs.computeIfAbsent(Topics.of(record.getClass()).name(), t -> new LinkedHashMap<>())
        .computeIfAbsent(key, k -> new ArrayList<>()).add(record);
    published++;
  }

  int published() {
    return published;
  }

  int committed() {
    return committed;
  }

  /** Every log a group has not read to its end, as the record it reads next. */
  List<Head> heads() {
    var heads = new ArrayList<Head>();
    for (var topic : Topics.all()) {
      var byKey = logs.get(topic.name());
      if (byKey == null) {
        continue;
      }
      for (var group : groups) {
        if (!topic.readers().contains(group)) {
          continue;
        }
        byKey.forEach((key, log) -> {
          var offset = offsets.getOrDefault(offset(group, topic.name(), key), 0);
          if (offset < log.size()) {
            heads.add(new Head(group, topic.name(), key, log.get(offset)));
          }
        });
      }
    }
    return heads;
  }

  /**
   * A batch listener's poll of one topic for a group: up to {@code max} records, the next few of
   * several contracts' logs, each log's in its order, the logs interleaved at random (records of
   * several partitions). Committing them in the poll's order keeps each log's offset right.
   */
  List<Head> poll(Random random, String group, String topic, int max) {
    var byKey = logs.getOrDefault(topic, Map.of());
    var pending = new ArrayList<List<Head>>();
    byKey.forEach((key, log) -> {
      var offset = offsets.getOrDefault(offset(group, topic, key), 0);
      var next = new ArrayList<Head>();
      for (int i = offset; i < log.size() && next.size() < 1 + random.nextInt(3); i++) {
        next.add(new Head(group, topic, key, log.get(i)));
      }
      if (!next.isEmpty()) {
        pending.add(next);
      }
    });
    var poll = new ArrayList<Head>();
    while (poll.size() < max && !pending.isEmpty()) {
      var which = random.nextInt(pending.size());
      poll.add(pending.get(which).remove(0));
      if (pending.get(which).isEmpty()) {
        pending.remove(which);
      }
    }
    return poll;
  }

  /** A random head, or null when every group has read everything. */
  Head anyHead(Random random) {
    var heads = heads();
    return heads.isEmpty() ? null : heads.get(random.nextInt(heads.size()));
  }

  void commit(Head head) {
    offsets.merge(offset(head.group(), head.topic(), head.key()), 1, Integer::sum);
    committed++;
  }

  private static String offset(String group, String topic, String key) {
    return group + "|" + topic + "|" + key;
  }
}
