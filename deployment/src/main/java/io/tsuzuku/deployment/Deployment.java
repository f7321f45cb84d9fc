package io.tsuzuku.deployment;

import java.util.Map;
/**
 * What a deployment does before the services start, in one call for the local stack and the
 * tests, as the {@code deployment} principal ({@code kafka}: {@link io.tsuzuku.schemas.KafkaAccess#client}): every record type registered ({@link RegisterSchemas}; the services register none) and
 * every topic declared with its dead-letter topic ({@link DeclareTopics}), with the broker's
 * default replication. Production runs the two commands instead (compose.yaml's
 * {@code register-schemas} and {@code declare-topics}).
 */
public final class Deployment {

  private Deployment() {}

  /** Registers as the client {@code credentials} name ({@link RegistryCredentials#none()} for an open registry). */
  public static void prepare(Map<String, Object> kafka, String registryUrl, RegistryCredentials credentials, int partitions) {
    RegisterSchemas.register(registryUrl, credentials);
    DeclareTopics.apply(kafka, partitions, (short) 0, 0);
  }

  /** Prepares a registry that anyone may write to (a benchmark's, or a container's in the tests). */
  public static void prepare(Map<String, Object> kafka, String registryUrl, int partitions) {
    prepare(kafka, registryUrl, RegistryCredentials.none(), partitions);
  }
}
