package io.tsuzuku.infra.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Apicurio Registry server (the Quarkus application {@code
 * io.apicurio:apicurio-registry-app}), in a child JVM on a free port. The Maven build fetched its
 * distribution; the first start unpacks it into a cache folder, later starts reuse it.
 *
 * <p>Storage is in memory unless a data directory is given, then an H2 file there, so that schema
 * ids stay valid for the records a kept Kafka log still holds.
 *
 * <p>Given a {@link Guard}, the registry is written by the deployment only (docs/security.md,
 * "The schema registry"): anyone reads, which is how every team's deserializer finds a writer schema,
 * while registering a schema or changing a rule needs a token of the identity provider that
 * carries the writers' scope.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
  private static final String SETTINGS = "/META-INF/tsuzuku/embedded-infrastructure.properties";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  /** The registry's global compatibility rule: the same as the build's gate. */
  public static final String COMPATIBILITY = "FULL_TRANSITIVE";

  private final ChildJvm jvm;
  private final String url;
  private final Path workingDirectory;

  private EmbeddedSchemaRegistry(ChildJvm jvm, String url, Path workingDirectory) {
    this.jvm = jvm;
    this.url = url;
    this.workingDirectory = workingDirectory;
  }

  /**
   * Who may write to the registry: bearers of an access token from {@code issuer} (verified
   * through its OpenID Connect discovery and JWK set) for {@code audience} whose {@code scope}
   * claim holds {@code writerScope}. Reads need no token.
   */
  public record Guard(String issuer, String audience, String writerScope) {

    /** Apicurio's (Quarkus OIDC's) settings for this guard. */
    List<String> options() {
      return List.of(
          "-Dquarkus.oidc.tenant-enabled=true",
          "-Dquarkus.oidc.auth-server-url=" + issuer,
          "-Dquarkus.oidc.token.audience=" + audience,
          "-Dquarkus.oidc.roles.role-claim-path=scope",
          "-Dapicurio.auth.role-based-authorization=true",
          "-Dapicurio.auth.role-source=token",
          // the writers' scope is the only role that writes; it administers rules too
          "-Dapicurio.auth.roles.admin=" + writerScope,
          "-Dapicurio.auth.roles.developer=" + writerScope,
          "-Dapicurio.auth.anonymous-read-access.enabled=true",
          "-Dapicurio.auth.authenticated-read-access.enabled=true");
    }
  }

  /** Starts an open registry (anyone may write): {@link #start(Path, int, Guard)} without a guard. */
  public static EmbeddedSchemaRegistry start(Path dataDirectory, int port) {
    return start(dataDirectory, port, null);
  }

  /**
   * Starts the registry and waits until it answers.
   *
   * @param dataDirectory where schemas are kept across restarts; null to keep them in memory
   * @param port the HTTP port; 0 for a free one
   * @param guard who may write; null for anyone
   */
  public static EmbeddedSchemaRegistry start(Path dataDirectory, int port, Guard guard) {
    var runner = unpackedDistribution().resolve(runnerJarName());
    var httpPort = FreePorts.pick(port);
    var options = new ArrayList<String>();
    options.add("-Xmx384m");
    options.add("-XX:TieredStopAtLevel=1");
    options.add("-XX:+UseSerialGC");
    options.add("-Dquarkus.http.host=127.0.0.1");
    options.add("-Dquarkus.http.port=" + httpPort);
    options.add("-Dquarkus.management.enabled=false");
    options.add("-Dquarkus.log.console.color=false");
    // the registry itself guards the event contract: a version must be FULL compatible with every
    // earlier one (the build's gate, CompatibilityGateTest), whoever registers it
    options.add("-Dapicurio.rules.global.compatibility=" + COMPATIBILITY);
    if (guard != null) {
      options.addAll(guard.options());
    }
    if (dataDirectory != null) {
      var h2File = createDirectories(dataDirectory).toAbsolutePath().resolve("registry");
      options.add("-Dapicurio.datasource.url=jdbc:h2:file:" + h2File + ";DB_CLOSE_ON_EXIT=FALSE");
    }
    var workingDirectory =
        dataDirectory != null ? dataDirectory : createTempDirectory("tsuzuku-registry-");
    var jvm = ChildJvm.start("apicurio-registry", runner, options, workingDirectory);
    var url = "http://127.0.0.1:" + httpPort;
    try {
      awaitReady(jvm, url);
    } catch (RuntimeException e) {
      jvm.close();
      throw e;
    }
    log.info("schema registry started url='{}' pid={}", url, jvm.pid());
    return new EmbeddedSchemaRegistry(jvm, url, dataDirectory == null ? workingDirectory : null);
  }

  /** The server's base address ({@code http://host:port}). */
  public String url() {
    return url;
  }

  long pid() {
    return jvm.pid();
  }

  @Override
  public void close() {
    jvm.close();
    Directories.deleteQuietly(workingDirectory);
  }

  private static void awaitReady(ChildJvm jvm, String url) {
    var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    var request =
        HttpRequest.newBuilder(URI.create(url + "/apis/registry/v3/system/info"))
            .timeout(Duration.ofSeconds(5))
            .build();
    // a real process on the real clock: a monotonic deadline, not business time
    var deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!jvm.isAlive()) {
        throw new IllegalStateException(
            "the schema registry exited during start; its last output:\n" + jvm.logTail(40));
      }
      try {
        if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the schema registry started", e);
      }
      pause();
    }
    throw new IllegalStateException(
        "the schema registry did not answer within " + START_TIMEOUT + "; its last output:\n"
            + jvm.logTail(40));
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the schema registry started", e);
    }
  }

  private static Properties settings() {
    try (InputStream in = EmbeddedSchemaRegistry.class.getResourceAsStream(SETTINGS)) {
      if (in == null) {
        throw new IllegalStateException(SETTINGS + " is missing: build with ./mvnw");
      }
      var properties = new Properties();
      properties.load(in);
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The registry distribution's version, which compose's registry image builds from too. */
  static String version() {
    return settings().getProperty("apicurio.registry.version");
  }

  private static String runnerJarName() {
    return "apicurio-registry-app-" + version() + "-runner.jar";
  }

  /**
   * The distribution unpacked once per machine into {@code ~/.cache/tsuzuku} (or the folder of
   * the {@code tsuzuku.cache.dir} system property); concurrent first starts are safe.
   */
  /** The distribution's archive, as Maven Central serves it. */
  static Path distribution() {
    return Path.of(settings().getProperty("apicurio.registry.distribution"));
  }

  static Path unpackedDistribution() {
    var archive = distribution();
    var cache =
        Path.of(
            System.getProperty(
                "tsuzuku.cache.dir", Path.of(System.getProperty("user.home"), ".cache", "tsuzuku").toString()));
    var target = cache.resolve("apicurio-registry-app-" + version());
    if (Files.isRegularFile(target.resolve(runnerJarName()))) {
      return target;
    }
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException(
          "the schema registry distribution is not at " + archive
              + ": run the Maven build (./mvnw -pl embedded-infrastructure -am install -DskipTests)");
    }
    var staging = createDirectories(cache).resolve(target.getFileName() + ".unpacking-" + ProcessHandle.current().pid());
    untar(archive, staging);
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException anotherJvmWon) {
      Directories.deleteQuietly(staging);
    } catch (IOException e) {
      if (!Files.isRegularFile(target.resolve(runnerJarName()))) {
        throw new UncheckedIOException("cannot move the unpacked registry to " + target, e);
      }
      Directories.deleteQuietly(staging);
    }
    log.info("schema registry unpacked into '{}'", target);
    return target;
  }

  private static void untar(Path archive, Path into) {
    try (var tar =
        new TarArchiveInputStream(
            new GzipCompressorInputStream(Files.newInputStream(archive)))) {
      createDirectories(into);
      for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        var destination = into.resolve(entry.getName()).normalize();
        if (!destination.startsWith(into)) {
          throw new IllegalStateException("archive entry outside its folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          createDirectories(destination);
        } else {
          createDirectories(destination.getParent());
          Files.copy(tar, destination, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      Directories.deleteQuietly(into);
      throw new UncheckedIOException("cannot unpack " + archive, e);
    }
  }

  private static Path createDirectories(Path directory) {
    try {
      return Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path createTempDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
