package io.tsuzuku.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The registry runs in a child JVM: it must never outlive the process that started it. */
class ChildProcessLifecycleIT {

  @Test
  void theRegistryExitsWhenItsParentIsKilledWithoutWarning() throws Exception {
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var parent =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    StartsARegistryAndWaits.class.getName()))
            .redirectErrorStream(true)
            .start();
    try {
      var registryPid = registryPidPrintedBy(parent).get(120, TimeUnit.SECONDS);
      assertThat(alive(registryPid)).as("registry running").isTrue();

      parent.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs

      await("the orphaned registry exits")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !alive(registryPid));
    } finally {
      parent.destroyForcibly();
    }
  }

  @Test
  void aRegistryThatFailsToStartSaysWhyAndLeavesNoProcess() throws Exception {
    try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      var port = taken.getLocalPort();

      assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(null, port))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("the schema registry exited during start");

      assertThat(
              ProcessHandle.current()
                  .descendants()
                  .filter(ProcessHandle::isAlive)
                  .filter(
                      child ->
                          child
                              .info()
                              .arguments()
                              .map(List::of)
                              .orElse(List.of())
                              .contains("-Dquarkus.http.port=" + port)))
          .isEmpty();
    }
  }

  private static CompletableFuture<Long> registryPidPrintedBy(Process parent) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (var lines =
              new BufferedReader(
                  new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            for (var line = lines.readLine(); line != null; line = lines.readLine()) {
              if (line.startsWith("REGISTRY_PID=")) {
                return Long.parseLong(line.substring("REGISTRY_PID=".length()));
              }
            }
            throw new IllegalStateException("the parent ended without starting a registry");
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
