package io.tsuzuku.infra.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Apache Kafka broker, one node in KRaft combined mode (broker and controller), in this
 * JVM. Its log directory is formatted on first start and reused afterwards, so a kept data
 * directory keeps topics and offsets across restarts.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int NODE_ID = 1;

  /** The partitions of every topic on this one broker. */
  public static final int PARTITIONS = 3;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final KafkaConfig config;
  private volatile KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path logDirectory;
  private final boolean temporary;

  private EmbeddedKafkaBroker(
      KafkaConfig config, KafkaRaftServer server, String bootstrapServers, Path logDirectory, boolean temporary) {
    this.config = config;
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.logDirectory = logDirectory;
    this.temporary = temporary;
  }

  /**
   * Starts a broker.
   *
   * @param dataDirectory where topics are kept across restarts; null for a temporary directory
   *     removed on close
   * @param port the client port; 0 for a free one
   */
  public static EmbeddedKafkaBroker start(Path dataDirectory, int port) {
    try {
      var temporary = dataDirectory == null;
      var logDirectory =
          temporary
              ? Files.createTempDirectory("tsuzuku-kafka-")
              : Files.createDirectories(dataDirectory);
      var brokerPort = FreePorts.pick(port);
      var controllerPort = FreePorts.pick(port > 0 ? port + 1 : 0);
      var config = KafkaConfig.fromProps(properties(logDirectory, brokerPort, controllerPort));
      format(logDirectory);
      var server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      var bootstrap = "127.0.0.1:" + brokerPort;
      log.info("kafka broker started bootstrapServers='{}' logDirectory='{}'", bootstrap, logDirectory);
      return new EmbeddedKafkaBroker(config, server, bootstrap, logDirectory, temporary);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Kafka log directory", e);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Stops the broker and starts it again on the same ports and log directory, as an operator's
   * restart: clients see their connections drop and come back, topics and offsets stay.
   */
  public synchronized void restart() {
    server.shutdown();
    server.awaitShutdown();
    var restarted = new KafkaRaftServer(config, Time.SYSTEM);
    restarted.startup();
    server = restarted;
    log.info("kafka broker restarted bootstrapServers='{}'", bootstrapServers);
  }

  @Override
  public synchronized void close() {
    server.shutdown();
    server.awaitShutdown();
    if (temporary) {
      Directories.deleteQuietly(logDirectory);
    }
    log.info("kafka broker stopped bootstrapServers='{}'", bootstrapServers);
  }

  private static Properties properties(Path logDirectory, int brokerPort, int controllerPort) {
    var props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", logDirectory.toString());
    props.put("num.partitions", String.valueOf(PARTITIONS));
    // one broker: every internal topic has one replica; transactions need it too
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "5");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "true");
    return props;
  }

  /** Formats a new log directory; a kept one (it has meta.properties) is used as it is. */
  private static void format(Path logDirectory) {
    if (Files.exists(logDirectory.resolve("meta.properties"))) {
      return;
    }
    var output = new ByteArrayOutputStream();
    try (var printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(printStream)
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDirectory.toString()))
          .setMetadataLogDirectory(logDirectory.toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot format the Kafka log directory " + logDirectory + ": " + output, e);
    }
    log.debug("kafka storage format: {}", output.toString(StandardCharsets.UTF_8).trim());
  }
}
