package io.tsuzuku.infra.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server in a child JVM that cannot outlive this one: it carries the {@link ParentWatchdog}
 * agent, a shutdown hook stops it when this JVM exits, and {@link #close()} stops it at once.
 */
final class ChildJvm implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Thread shutdownHook;

  private ChildJvm(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.shutdownHook = new Thread(this::stop, name + "-stopper");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts {@code java <jvmOptions> -jar <jar>} in {@code workingDirectory}, its output going to a
   * log file there.
   */
  static ChildJvm start(String name, Path jar, List<String> jvmOptions, Path workingDirectory) {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-javaagent:" + watchdogAgent(workingDirectory));
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    var logFile = workingDirectory.resolve(name + ".log");
    try {
      var process =
          new ProcessBuilder(command)
              .directory(workingDirectory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
      log.info("started {} pid={} log='{}'", name, process.pid(), logFile);
      return new ChildJvm(name, process, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** The last lines the server printed, for an error message. */
  String logTail(int lines) {
    try {
      var all = Files.readAllLines(logFile);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run: nothing to remove
    }
  }

  private synchronized void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("{} pid={} did not stop within {}: killing it", name, process.pid(), GRACE);
        process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    log.info("stopped {} pid={}", name, process.pid());
  }

  /** Writes the one-class agent jar that makes a child exit when its parent goes. */
  private static Path watchdogAgent(Path directory) {
    var agent = directory.resolve("parent-watchdog.jar");
    var manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", ParentWatchdog.class.getName());
    var entry = ParentWatchdog.class.getName().replace('.', '/') + ".class";
    try (var jar = new JarOutputStream(Files.newOutputStream(agent), manifest);
        InputStream classFile = ParentWatchdog.class.getClassLoader().getResourceAsStream(entry)) {
      if (classFile == null) {
        throw new IllegalStateException("class file not found: " + entry);
      }
      jar.putNextEntry(new JarEntry(entry));
      classFile.transferTo(jar);
      jar.closeEntry();
      return agent;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the watchdog agent " + agent, e);
    }
  }
}
