package io.tsuzuku.deployment;

import io.tsuzuku.infra.embedded.EmbeddedInfrastructure;
import io.tsuzuku.infra.embedded.EmbeddedKafkaBroker;
import io.tsuzuku.infra.embedded.Endpoints;

/**
 * The embedded broker and registry, started once for this module's tests and deployed on as a
 * deployment does it ({@link Deployment#prepare}); stopped when the test JVM exits.
 */
final class DeployedServers {

  private static Endpoints endpoints;

  private DeployedServers() {}

  static synchronized Endpoints endpoints() {
    if (endpoints == null) {
      var servers = EmbeddedInfrastructure.start(EmbeddedInfrastructure.Settings.forTests());
      Runtime.getRuntime().addShutdownHook(new Thread(servers::close, "embedded-servers-stop"));
      Deployment.prepare(servers.endpoints().kafkaBootstrapServers(), servers.endpoints().schemaRegistryUrl(),
          EmbeddedKafkaBroker.PARTITIONS);
      endpoints = servers.endpoints();
    }
    return endpoints;
  }
}
