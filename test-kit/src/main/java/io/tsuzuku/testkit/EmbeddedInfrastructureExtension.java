package io.tsuzuku.testkit;

import io.tsuzuku.infra.embedded.EmbeddedInfrastructure;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure.Settings;
import io.tsuzuku.infra.embedded.EmbeddedKafkaBroker;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.schemas.Deployment;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the servers once per JVM (in the root store, so every test class shares them) and stops
 * them when the root context closes, at the end of the JVM's test run.
 */
public final class EmbeddedInfrastructureExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmbeddedInfrastructureExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    endpoints(context).asEnvironment().forEach(System::setProperty);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Endpoints.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return endpoints(context);
  }

  private static Endpoints endpoints(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            Running.class, key -> new Running(deployed(EmbeddedInfrastructure.start(Settings.forTests()))), Running.class)
        .infrastructure()
        .endpoints();
  }

  /** The servers with the event contract deployed on them, as before the services start. */
  private static EmbeddedInfrastructure deployed(EmbeddedInfrastructure servers) {
    try {
      var endpoints = servers.endpoints();
      Deployment.prepare(endpoints.kafkaBootstrapServers(), endpoints.schemaRegistryUrl(), EmbeddedKafkaBroker.PARTITIONS);
      return servers;
    } catch (RuntimeException e) {
      servers.close();
      throw e;
    }
  }

  /** Closed by JUnit with the root context. */
  private record Running(EmbeddedInfrastructure infrastructure) implements AutoCloseable {
    @Override
    public void close() {
      infrastructure.close();
    }
  }
}
