package io.tsuzuku.testkit;

import io.tsuzuku.schemas.KafkaAccess;
import io.tsuzuku.deployment.Deployment;
import io.tsuzuku.deployment.RegistryCredentials;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure.Settings;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure;
import io.tsuzuku.infra.embedded.EmbeddedKafkaBroker;
import io.tsuzuku.infra.embedded.EmbeddedSchemaRegistry;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.standins.LocalIdentityProvider;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the servers once per JVM (in the root store, so every test class shares them) and stops
 * them when the root context closes, at the end of the JVM's test run: as containers where a
 * Docker engine is present ({@link ContainerInfrastructure}: a real MongoDB 8, Apache Kafka, the
 * Apicurio Registry), the embedded servers otherwise. The same tests run on both.
 */
public final class EmbeddedInfrastructureExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmbeddedInfrastructureExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    endpoints(context).asEnvironment().forEach(System::setProperty);
  }

  /**
   * Resolves {@link Endpoints} and, for a test that restarts a server, the {@link
   * EmbeddedInfrastructure} itself (only when the embedded servers run).
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    var type = parameter.getParameter().getType();
    return type == Endpoints.class || type == EmbeddedInfrastructure.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    var running = running(context);
    if (parameter.getParameter().getType() == Endpoints.class) {
      return running.endpoints();
    }
    if (running.servers() instanceof EmbeddedInfrastructure embedded) {
      return embedded;
    }
    throw new ParameterResolutionException("the servers run as containers here, not embedded: "
        + parameter.getDeclaringExecutable().getName() + " needs the embedded ones");
  }

  private static Endpoints endpoints(ExtensionContext context) {
    return running(context).endpoints();
  }

  private static Running running(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, key -> Running.start(), Running.class);
  }

  /**
   * The servers with the event contract deployed on them, as before the services start; closed by
   * JUnit with the root context. The embedded registry is guarded as in production: only the
   * deployment's client of a stand-in identity provider writes to it.
   */
  private record Running(AutoCloseable servers, Endpoints endpoints, LocalIdentityProvider identity, RegistryCredentials deployment)
      implements AutoCloseable {

    static Running start() {
      var running = ContainerInfrastructure.available() ? inContainers() : embedded();
      try {
        var endpoints = running.endpoints();
        Deployment.prepare(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT), endpoints.schemaRegistryUrl(), running.deployment(),
            EmbeddedKafkaBroker.PARTITIONS);
        return running;
      } catch (RuntimeException e) {
        running.close();
        throw e;
      }
    }

    private static Running inContainers() {
      var containers = ContainerInfrastructure.start();
      return new Running(containers, containers.endpoints(), null, RegistryCredentials.none());
    }

    private static Running embedded() {
      var identity = LocalIdentityProvider.start(0, "nobody", "nobody");
      try {
        var embedded = EmbeddedInfrastructure.start(Settings.forTests().guardedBy(
            new EmbeddedSchemaRegistry.Guard(identity.issuer(), LocalIdentityProvider.AUDIENCE, LocalIdentityProvider.SCHEMAS)));
        return new Running(embedded, embedded.endpoints(), identity, new RegistryCredentials(identity.tokenEndpoint(),
            LocalIdentityProvider.DEPLOYMENT_CLIENT, LocalIdentityProvider.DEPLOYMENT_SECRET));
      } catch (RuntimeException e) {
        identity.close();
        throw e;
      }
    }

    @Override
    public void close() {
      try {
        servers.close();
      } catch (Exception e) {
        throw new IllegalStateException("stopping the test servers", e);
      } finally {
        if (identity != null) {
          identity.close();
        }
      }
    }
  }
}
