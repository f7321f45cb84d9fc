package io.tsuzuku.deployment;

/**
 * What a deployment does before the services start, in one call for the local stack and the
 * tests: every record type registered ({@link RegisterSchemas}; the services register none) and
 * every topic declared with its dead-letter topic ({@link DeclareTopics}), with the broker's
 * default replication. Production runs the two commands instead (compose.yaml's
 * {@code register-schemas} and {@code declare-topics}).
 */
public final class Deployment {

  private Deployment() {}

  /** Registers as the client {@code credentials} name ({@link RegistryCredentials#none()} for an open registry). */
  public static void prepare(String bootstrapServers, String registryUrl, RegistryCredentials credentials, int partitions) {
    RegisterSchemas.register(registryUrl, credentials);
    DeclareTopics.apply(bootstrapServers, partitions, (short) 0, 0);
  }

  /** Prepares a registry that anyone may write to (a benchmark's, or a container's in the tests). */
  public static void prepare(String bootstrapServers, String registryUrl, int partitions) {
    prepare(bootstrapServers, registryUrl, RegistryCredentials.none(), partitions);
  }
}
