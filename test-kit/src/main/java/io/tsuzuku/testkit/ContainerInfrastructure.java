package io.tsuzuku.testkit;

import io.tsuzuku.infra.embedded.Endpoints;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * The same three servers as containers, the images compose.yaml runs: MongoDB 8, Apache Kafka and
 * the Apicurio Registry. Used by the tests where a Docker engine is present (a real MongoDB, whose
 * query planner and transactions the wire server lacks); the embedded servers otherwise.
 */
public final class ContainerInfrastructure implements AutoCloseable {

  /** The images, as compose.yaml names them. */
  public static final String MONGODB = "mongo:8.0";
  public static final String KAFKA = "apache/kafka:4.1.2";
  public static final String REGISTRY = "apicurio/apicurio-registry:3.0.9";

  private final Network network = Network.newNetwork();
  private final MongoDBContainer mongo = new MongoDBContainer(MONGODB).withNetwork(network);
  private final KafkaContainer kafka = new KafkaContainer(KAFKA).withNetwork(network);
  @SuppressWarnings("resource")
  private final GenericContainer<?> registry = new GenericContainer<>(REGISTRY)
      .withNetwork(network)
      .withExposedPorts(8080)
      .waitingFor(Wait.forHttp("/apis/registry/v3/system/info").forStatusCode(200)
          .withStartupTimeout(Duration.ofMinutes(2)));

  private ContainerInfrastructure() {}

  /** Whether a Docker engine answers here; {@code TSUZUKU_TEST_SERVERS=embedded} says no. */
  public static boolean available() {
    if ("embedded".equals(System.getenv("TSUZUKU_TEST_SERVERS"))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Starts the three containers; stops those started if one fails. */
  public static ContainerInfrastructure start() {
    var servers = new ContainerInfrastructure();
    try {
      servers.mongo.start();
      servers.kafka.start();
      servers.registry.start();
      return servers;
    } catch (RuntimeException e) {
      servers.close();
      throw e;
    }
  }

  public Endpoints endpoints() {
    // the container's broker authenticates no one (known gaps): its clients connect without credentials
    return new Endpoints(kafka.getBootstrapServers(), null,
        "http://" + registry.getHost() + ":" + registry.getMappedPort(8080), mongo.getConnectionString());
  }

  @Override
  public void close() {
    registry.stop();
    kafka.stop();
    mongo.stop();
    network.close();
  }
}
