package io.tsuzuku.infra.embedded;

/** A parent process for {@link ChildProcessLifecycleIT}: starts a registry, says its pid, waits. */
public final class StartsARegistryAndWaits {

  private StartsARegistryAndWaits() {}

  public static void main(String[] args) throws InterruptedException {
    var registry = EmbeddedSchemaRegistry.start(null, 0);
    System.out.println("REGISTRY_PID=" + registry.pid());
    System.out.flush();
    Thread.currentThread().join(); // until killed
  }
}
