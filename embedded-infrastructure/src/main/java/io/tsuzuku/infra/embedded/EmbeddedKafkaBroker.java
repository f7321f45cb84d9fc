package io.tsuzuku.infra.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.tsuzuku.schemas.KafkaAccess;
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
 *
 * <p>Secured as a production cluster is (docs/security.md, "The bus"): clients connect with
 * SASL/SCRAM-SHA-512 over TLS, each as its principal, and the broker authorises every request
 * with the ACLs the deployment declares ({@code StandardAuthorizer}; nothing is allowed that no ACL
 * allows). Its certificate is self-signed, made at the first start ({@link KafkaCredentials}),
 * and each principal's password is a file of the credentials directory, which the clients read.
 * The broker's own listeners (to itself and to its controller) take a password made at each start,
 * on the loopback address only.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final int NODE_ID = 1;

  /** The partitions of every topic on this one broker. */
  public static final int PARTITIONS = 3;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String CLIENT_LISTENER = "CLIENTS";
  private static final String INTERNAL_LISTENER = "INTERNAL";

  /** The broker's own principal, on its internal and controller listeners: a super user. */
  static final String BROKER_PRINCIPAL = "broker";

  private final KafkaConfig config;
  private volatile KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path logDirectory;
  private final KafkaCredentials credentials;
  private final boolean temporary;

  private EmbeddedKafkaBroker(KafkaConfig config, KafkaRaftServer server, String bootstrapServers,
      Path logDirectory, KafkaCredentials credentials, boolean temporary) {
    this.config = config;
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.logDirectory = logDirectory;
    this.credentials = credentials;
    this.temporary = temporary;
  }

  /**
   * Starts a broker.
   *
   * @param dataDirectory where topics are kept across restarts, and beside them the credentials;
   *     null for temporary directories removed on close
   * @param port the client port (the broker's own listeners take the next two); 0 for free ones
   */
  public static EmbeddedKafkaBroker start(Path dataDirectory, int port) {
    try {
      var temporary = dataDirectory == null;
      var logDirectory =
          temporary
              ? Files.createTempDirectory("tsuzuku-kafka-")
              : Files.createDirectories(dataDirectory);
      var credentials = KafkaCredentials.prepare(temporary
          ? Files.createTempDirectory("tsuzuku-kafka-credentials-")
          : Files.createDirectories(dataDirectory.resolveSibling(dataDirectory.getFileName() + "-credentials")),
          KafkaAccess.principals());
      var brokerPort = FreePorts.pick(port);
      var controllerPort = FreePorts.pick(port > 0 ? port + 1 : 0);
      var internalPort = FreePorts.pick(port > 0 ? port + 2 : 0);
      var config = KafkaConfig.fromProps(properties(logDirectory, credentials, brokerPort, controllerPort, internalPort));
      format(logDirectory);
      var server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      credentials.register("127.0.0.1:" + internalPort);
      var bootstrap = "127.0.0.1:" + brokerPort;
      log.info("kafka broker started bootstrapServers='{}' logDirectory='{}' credentials='{}'",
          bootstrap, logDirectory, credentials.directory());
      return new EmbeddedKafkaBroker(config, server, bootstrap, logDirectory, credentials, temporary);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Kafka log directory", e);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The directory of the principals' password files and the truststore ({@code KAFKA_CREDENTIALS_DIR}). */
  public Path credentialsDirectory() {
    return credentials.directory();
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
      Directories.deleteQuietly(credentials.directory());
    }
    log.info("kafka broker stopped bootstrapServers='{}'", bootstrapServers);
  }

  private static Properties properties(
      Path logDirectory, KafkaCredentials credentials, int brokerPort, int controllerPort, int internalPort) {
    var props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    props.put("listeners", CLIENT_LISTENER + "://127.0.0.1:" + brokerPort + "," + INTERNAL_LISTENER + "://127.0.0.1:"
        + internalPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners",
        CLIENT_LISTENER + "://127.0.0.1:" + brokerPort + "," + INTERNAL_LISTENER + "://127.0.0.1:" + internalPort);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("inter.broker.listener.name", INTERNAL_LISTENER);
    props.put("listener.security.protocol.map",
        CLIENT_LISTENER + ":SASL_SSL," + INTERNAL_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":SASL_PLAINTEXT");
    // clients: SCRAM over TLS, the certificate made at the first start
    var clients = "listener.name." + CLIENT_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
    props.put(clients + "sasl.enabled.mechanisms", KafkaAccess.MECHANISM);
    props.put(clients + KafkaAccess.MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    props.put(clients + "ssl.keystore.type", "PKCS12");
    props.put(clients + "ssl.keystore.location", credentials.keystore().toString());
    props.put(clients + "ssl.keystore.password", credentials.keystorePassword());
    // the broker to itself and to its controller: PLAIN with a password of this start, loopback only
    var brokerLogin = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"%s\" password=\"%s\" user_%s=\"%s\";"
        .formatted(BROKER_PRINCIPAL, credentials.brokerPassword(), BROKER_PRINCIPAL, credentials.brokerPassword());
    for (var listener : List.of(INTERNAL_LISTENER, CONTROLLER_LISTENER)) {
      var prefix = "listener.name." + listener.toLowerCase(java.util.Locale.ROOT) + ".";
      props.put(prefix + "sasl.enabled.mechanisms", "PLAIN");
      props.put(prefix + "plain.sasl.jaas.config", brokerLogin);
    }
    props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    props.put("sasl.mechanism.controller.protocol", "PLAIN");
    // nothing is allowed that no ACL allows (the deployment declares them), but to the deployment and the broker itself
    props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    props.put("allow.everyone.if.no.acl.found", "false");
    props.put("super.users", "User:" + BROKER_PRINCIPAL + ";User:" + KafkaAccess.DEPLOYMENT);
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
    // topics exist only as the deployment declares them (DeclareTopics)
    props.put("auto.create.topics.enable", "false");
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
