package io.tsuzuku.deployment;

import io.tsuzuku.schemas.KafkaAccess;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure;
import io.tsuzuku.infra.embedded.EmbeddedKafkaBroker;
import io.tsuzuku.infra.embedded.EmbeddedSchemaRegistry;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.standins.LocalIdentityProvider;

/**
 * The embedded broker and a registry guarded by a stand-in identity provider, started once for
 * this module's tests and deployed on as a deployment does it ({@link Deployment#prepare}, as the
 * deployment's client); stopped when the test JVM exits.
 */
final class DeployedServers {

  /** The identity provider the registry trusts. */
  static final LocalIdentityProvider IDENTITY = LocalIdentityProvider.start(0, "org-1", "admin@org-1");

  /** The deployment's client, the registry's only writer. */
  static final RegistryCredentials DEPLOYMENT = new RegistryCredentials(IDENTITY.tokenEndpoint(),
      LocalIdentityProvider.DEPLOYMENT_CLIENT, LocalIdentityProvider.DEPLOYMENT_SECRET);

  private static Endpoints endpoints;

  private DeployedServers() {}

  static synchronized Endpoints endpoints() {
    if (endpoints == null) {
      var guard = new EmbeddedSchemaRegistry.Guard(IDENTITY.issuer(), LocalIdentityProvider.AUDIENCE, LocalIdentityProvider.SCHEMAS);
      var servers = EmbeddedInfrastructure.start(EmbeddedInfrastructure.Settings.forTests().guardedBy(guard));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        servers.close();
        IDENTITY.close();
      }, "embedded-servers-stop"));
      Deployment.prepare(servers.endpoints().kafkaClient(KafkaAccess.DEPLOYMENT), servers.endpoints().schemaRegistryUrl(), DEPLOYMENT,
          EmbeddedKafkaBroker.PARTITIONS);
      endpoints = servers.endpoints();
    }
    return endpoints;
  }
}
