package io.tsuzuku.testkit;

import io.tsuzuku.infra.embedded.Endpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A service in a process of its own, started from its executable jar ({@code <module>/target/*-exec.jar},
 * built by {@code ./mvnw -pl <module> package -DskipTests}) with its heap capped, pointed at the
 * given servers: for benchmarks that measure a service's own memory.
 */
public final class ServiceProcess implements AutoCloseable {

  private final String module;
  private final Process process;
  private final Path log;

  private ServiceProcess(String module, Process process, Path log) {
    this.module = module;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code module}'s executable jar and waits until its application has started.
   *
   * @param heap the {@code -Xmx} value, for example {@code 256m}
   * @param arguments the application's arguments (settings as {@code --name=value})
   */
  public static ServiceProcess start(String module, String heap, Endpoints endpoints, List<String> arguments) throws IOException {
    var target = Files.isDirectory(Path.of(module, "target")) ? Path.of(module, "target") : Path.of("..", module, "target");
    Path jar;
    try (var files = Files.list(target)) {
      jar = files.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no executable jar: ./mvnw -pl " + module + " package -DskipTests first"));
    }
    var log = Files.createTempFile(module + "-", ".log");
    var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
        "-jar", jar.toString(), "--server.port=0"));
    command.addAll(arguments);
    var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(endpoints.asEnvironment());
    var service = new ServiceProcess(module, builder.start(), log);
    try {
      org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
          .until(() -> !service.process.isAlive() || Files.readString(log).contains("Started "));
      if (!service.process.isAlive()) {
        throw new IllegalStateException("the " + module + " process did not start: " + log);
      }
      return service;
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }

  /** The HTTP port the service listens on (it starts on a free one). */
  public int port() throws IOException {
    var started = Pattern.compile("Netty started on port (\\d+)").matcher(log());
    if (!started.find()) {
      throw new IllegalStateException("the " + module + " process printed no port: " + log);
    }
    return Integer.parseInt(started.group(1));
  }

  /** What the process printed so far. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  /**
   * The heap in use (as the JVM's {@code GC.heap_info} says), then again after a full collection
   * (what the service holds), and the resident memory, now and at its highest.
   */
  public String memory() throws IOException {
    var used = heapUsedMb();
    jcmd("GC.run");
    return module + ": heap used " + megabytes(used) + ", " + megabytes(heapUsedMb()) + " after a full collection; "
        + residentMemory(Path.of("/proc", Long.toString(process.pid()), "status"));
  }

  /** The heap in use now, in MB, as the JVM's {@code GC.heap_info} says; -1 if it says nothing. */
  public long heapUsedMb() throws IOException {
    var used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(jcmd("GC.heap_info"));
    return used.find() ? Long.parseLong(used.group(1)) / 1024 : -1;
  }

  private static String megabytes(long mb) {
    return mb < 0 ? "unknown" : mb + " MB";
  }

  /** The CPU time the process has used so far (user and system), zero once it is gone. */
  public Duration cpuTime() {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  private String jcmd(String command) throws IOException {
    return new String(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(process.pid()), command).redirectErrorStream(true).start().getInputStream().readAllBytes());
  }

  /** The resident memory a process's {@code /proc/<pid>/status} gives, now (VmRSS) and at its highest (VmHWM). */
  public static String residentMemory(Path status) throws IOException {
    if (!Files.exists(status)) {
      return "resident memory unknown";
    }
    return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
        .map(l -> l.replaceAll("\\s+", " ")).reduce((a, b) -> a + ", " + b).orElse("resident memory unknown");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
