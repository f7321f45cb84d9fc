package io.tsuzuku.deployment;

import io.tsuzuku.schemas.KafkaAccess;
import io.tsuzuku.schemas.Topic;
import io.tsuzuku.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topology of tsuzuku's topics, declared once: every topic of {@link Topics}, its
 * dead-letter topic and the parked topic of each service reading it, with its cleanup policy and
 * retention, and {@link Topics#DEAD_LETTER_REPLAYS}; and the ACLs of every principal ({@link #acls}). {@code contract-status-changed} is
 * compacted (it reads as a table: the latest snapshot per contract); the event topics keep a
 * fortnight; the dead-letter topics a month, for a replay after a fix. Partitions, replicas and
 * {@code min.insync.replicas} are the cluster's: given to {@link #apply}.
 *
 * <p>Applied at deploy time, before the services start, by one command (compose runs it; the
 * local stack and the tests at their start): missing topics are created, the configuration of
 * existing ones is aligned, a partition count that differs is reported, never changed (that would
 * move contracts to other partitions and break their order).
 *
 * <pre>
 * java -cp … io.tsuzuku.deployment.DeclareTopics kafka:9092 [partitions=12] [replicas=3] [min-insync=2]
 * </pre>
 */
public final class DeclareTopics {

  /** A topic as declared: its name, and its configuration beyond partitions and replicas. */
  public record Declaration(String name, Map<String, String> configs) {}

  private DeclareTopics() {}

  /** Every topic and its dead-letter topic, in {@link Topics} order, then the record of replays. */
  public static List<Declaration> topology() {
    var declared = new ArrayList<Declaration>();
    for (var topic : Topics.all()) {
      declared.add(new Declaration(topic.name(), Topics.compacted(topic)
          ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
              // a reader sees every snapshot of the last hour before older ones are compacted away
              TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(Duration.ofHours(1).toMillis()))
          : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
              TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Topics.EVENT_RETENTION.toMillis()))));
      declared.add(new Declaration(topic.name() + Topic.DEAD_LETTER_SUFFIX,
          Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
              TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Topics.DEAD_LETTER_RETENTION.toMillis()))));
      for (var service : servicesReading(topic)) {
        declared.add(new Declaration(topic.parkedTopic(service),
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Topics.EVENT_RETENTION.toMillis()))));
      }
    }
    declared.add(new Declaration(Topics.DEAD_LETTER_REPLAYS,
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    return declared;
  }

  /**
   * Who may do what, as the broker's ACLs (nothing is allowed that no ACL allows; the {@link
   * KafkaAccess#DEPLOYMENT} principal is the cluster's super user):
   *
   * <ul>
   *   <li>a topic's writer writes it, and no one else does;
   *   <li>each reader reads it; a service reading it also writes its dead-letter topic, and writes
   *       and reads its own parked topic of it ({@link Topic#parkedTopic});
   *   <li>each reads as consumer groups whose names begin with its principal's (a service's group is
   *       its name).
   * </ul>
   */
  public static List<AclBinding> acls() {
    var acls = new LinkedHashSet<AclBinding>();
    for (var topic : Topics.all()) {
      acls.add(allow(Topics.principal(topic.writer()), ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.WRITE));
      for (var reader : topic.readers()) {
        acls.add(allow(Topics.principal(reader), ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.READ));
      }
      for (var service : servicesReading(topic)) {
        acls.add(allow(service, ResourceType.TOPIC, topic.deadLetterTopic(), PatternType.LITERAL, AclOperation.WRITE));
        acls.add(allow(service, ResourceType.TOPIC, topic.parkedTopic(service), PatternType.LITERAL, AclOperation.WRITE));
        acls.add(allow(service, ResourceType.TOPIC, topic.parkedTopic(service), PatternType.LITERAL, AclOperation.READ));
      }
      for (var team : topic.readers().stream().filter(reader -> !Topics.SERVICES.contains(reader)).toList()) {
        acls.add(allow(Topics.principal(team), ResourceType.GROUP, Topics.principal(team), PatternType.PREFIXED, AclOperation.READ));
      }
    }
    for (var service : Topics.SERVICES) {
      acls.add(allow(service, ResourceType.GROUP, service, PatternType.PREFIXED, AclOperation.READ));
    }
    return List.copyOf(acls);
  }

  private static List<String> servicesReading(Topic<?> topic) {
    return topic.readers().stream().filter(Topics.SERVICES::contains).toList();
  }

  private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern, AclOperation operation) {
    return new AclBinding(new ResourcePattern(type, name, pattern),
        new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
  }

  /**
   * Creates the missing topics and aligns the configuration of the others; then makes the ACLs of
   * tsuzuku's principals exactly {@link #acls()}: the missing ones created, any other of theirs
   * removed.
   *
   * @param replicas 0: the broker's default
   * @param minInsyncReplicas 0: the broker's default
   * @return one line per topic: created, aligned, or what differs; then one per ACL created or removed
   */
  public static List<String> apply(Map<String, Object> kafka, int partitions, short replicas, int minInsyncReplicas) {
    var settings = new Properties();
    settings.putAll(kafka);
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
    try (var admin = Admin.create(settings)) {
      return apply(admin, partitions, replicas, minInsyncReplicas);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the brokers at " + kafka.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + " refused the topology: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted declaring the topics", e);
    }
  }

  private static List<String> apply(Admin admin, int partitions, short replicas, int minInsyncReplicas)
      throws ExecutionException, InterruptedException, TimeoutException {
    var existing = new HashSet<>(admin.listTopics().names().get(1, TimeUnit.MINUTES));
    var report = new ArrayList<String>();
    var missing = new ArrayList<NewTopic>();
    var alter = new LinkedHashMap<ConfigResource, Collection<AlterConfigOp>>();
    for (var declaration : topology()) {
      var configs = new LinkedHashMap<>(declaration.configs());
      if (minInsyncReplicas > 0) {
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsyncReplicas));
      }
      if (!existing.contains(declaration.name())) {
        missing.add(new NewTopic(declaration.name(), java.util.Optional.of(partitions),
            replicas > 0 ? java.util.Optional.of(replicas) : java.util.Optional.empty()).configs(configs));
        report.add("created " + declaration.name() + " " + configs);
      } else {
        alter.put(new ConfigResource(ConfigResource.Type.TOPIC, declaration.name()), configs.entrySet().stream()
            .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET)).toList());
        report.add("aligned " + declaration.name() + " " + configs);
      }
    }
    if (!missing.isEmpty()) {
      admin.createTopics(missing).all().get(1, TimeUnit.MINUTES);
    }
    report.addAll(alignAcls(admin));
    if (!alter.isEmpty()) {
      admin.incrementalAlterConfigs(alter).all().get(1, TimeUnit.MINUTES);
      var described = admin.describeTopics(alter.keySet().stream().map(ConfigResource::name).toList())
          .allTopicNames().get(1, TimeUnit.MINUTES);
      described.forEach((name, description) -> {
        if (description.partitions().size() != partitions) {
          report.add("differs " + name + ": " + description.partitions().size() + " partitions, not " + partitions
              + " (left as it is: more partitions would move contracts and break their order)");
        }
      });
    }
    return report;
  }

  private static List<String> alignAcls(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
    var declared = new LinkedHashSet<>(acls());
    var existing = principalsAcls(admin);
    var report = new ArrayList<String>();
    var stray = existing.stream().filter(binding -> !declared.contains(binding)).toList();
    if (!stray.isEmpty()) {
      admin.deleteAcls(stray.stream().map(AclBinding::toFilter).toList()).all().get(1, TimeUnit.MINUTES);
      stray.forEach(binding -> report.add("removed " + describe(binding)));
    }
    declared.removeAll(existing);
    if (!declared.isEmpty()) {
      admin.createAcls(declared).all().get(1, TimeUnit.MINUTES);
      declared.forEach(binding -> report.add("allowed " + describe(binding)));
    }
    // the controller has them; the brokers apply them a moment later: a service started next finds them in force
    var deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!new LinkedHashSet<>(principalsAcls(admin)).equals(new LinkedHashSet<>(acls()))) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the brokers did not apply the declared ACLs in a minute");
      }
      Thread.sleep(50);
    }
    return report;
  }

  /** The ACLs of tsuzuku's principals in force. */
  private static List<AclBinding> principalsAcls(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
    var principals = KafkaAccess.principals().stream().map(principal -> "User:" + principal).toList();
    return admin.describeAcls(AclBindingFilter.ANY).values().get(1, TimeUnit.MINUTES).stream()
        .filter(binding -> principals.contains(binding.entry().principal())).toList();
  }

  private static String describe(AclBinding binding) {
    var pattern = binding.pattern();
    return binding.entry().principal() + " " + binding.entry().operation() + " " + pattern.resourceType().name().toLowerCase(java.util.Locale.ROOT)
        + " " + pattern.name() + (pattern.patternType() == PatternType.PREFIXED ? "*" : "");
  }

  public static void main(String[] args) {
    var bootstrap = args.length > 0 ? args[0] : System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    int partitions = 12;
    short replicas = 3;
    int minInsync = 2;
    for (int i = 1; i < args.length; i++) {
      var parts = args[i].split("=", 2);
      switch (parts[0]) {
        case "partitions" -> partitions = Integer.parseInt(parts[1]);
        case "replicas" -> replicas = Short.parseShort(parts[1]);
        case "min-insync" -> minInsync = Integer.parseInt(parts[1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (partitions=, replicas=, min-insync=)");
      }
    }
    var kafka = KafkaAccess.client(name -> name.equals("KAFKA_BOOTSTRAP_SERVERS") ? bootstrap : System.getenv(name), KafkaAccess.DEPLOYMENT);
    apply(kafka, partitions, replicas, minInsync).forEach(System.out::println);
  }
}
