package io.tsuzuku.testkit;

import io.tsuzuku.infra.embedded.EmbeddedKafkaBroker;
import io.tsuzuku.infra.embedded.Endpoints;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * MongoDB 8 and the Apicurio Registry as containers, the images compose.yaml runs, with the embedded
 * Kafka broker, secured as production's is (SASL/SCRAM over TLS, ACLs; {@link EmbeddedKafkaBroker}).
 * Used by the tests where a Docker engine is present (a real MongoDB, whose query planner and
 * transactions the wire server lacks); the embedded servers otherwise.
 */
public final class ContainerInfrastructure implements AutoCloseable {

  /** The images, as compose.yaml names them. */
  public static final String MONGODB = "mongo:8.0";
  public static final String REGISTRY = "apicurio/apicurio-registry:3.0.9";

  private final Network network = Network.newNetwork();
  private final MongoDBContainer mongo = new MongoDBContainer(MONGODB).withNetwork(network);
  private EmbeddedKafkaBroker kafka;
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
      servers.kafka = EmbeddedKafkaBroker.start(null, 0);
      servers.registry.start();
      return servers;
    } catch (RuntimeException e) {
      servers.close();
      throw e;
    }
  }

  public Endpoints endpoints() {
    return new Endpoints(kafka.bootstrapServers(), kafka.credentialsDirectory().toString(),
        "http://" + registry.getHost() + ":" + registry.getMappedPort(8080), mongo.getConnectionString());
  }

  @Override
  public void close() {
    registry.stop();
    if (kafka != null) {
      kafka.close();
    }
    mongo.stop();
    network.close();
  }
}
