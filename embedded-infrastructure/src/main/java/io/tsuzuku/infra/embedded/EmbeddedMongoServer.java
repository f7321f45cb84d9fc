package io.tsuzuku.infra.embedded;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server that speaks the MongoDB wire protocol (mongo-java-server) to the real driver, in this
 * JVM: in memory for tests, an H2 file for the local stack. It has no transactions, no sessions
 * and no {@code hello} command, so the services rely on single-document atomicity only and turn
 * the Mongo health indicator off against it.
 */
public final class EmbeddedMongoServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoServer.class);

  private final MongoServer server;
  private final MongoBackend backend;
  private final String uri;

  private EmbeddedMongoServer(MongoServer server, MongoBackend backend, String uri) {
    this.server = server;
    this.backend = backend;
    this.uri = uri;
  }

  /**
   * Starts the server.
   *
   * @param dataDirectory where the H2 file is kept across restarts; null to keep data in memory
   * @param port the port; 0 for a free one
   */
  public static EmbeddedMongoServer start(Path dataDirectory, int port) {
    MongoBackend backend = dataDirectory == null ? new MemoryBackend() : h2(dataDirectory);
    var server = new MongoServer(backend);
    server.bind("127.0.0.1", FreePorts.pick(port));
    var address = server.getLocalAddress();
    var uri = "mongodb://127.0.0.1:" + address.getPort();
    log.info("mongodb-wire server started uri='{}' storage='{}'", uri, dataDirectory == null ? "memory" : dataDirectory);
    return new EmbeddedMongoServer(server, backend, uri);
  }

  /** The connection string, without a database: each service names its own. */
  public String uri() {
    return uri;
  }

  @Override
  public void close() {
    server.shutdownNow();
    backend.close();
    log.info("mongodb-wire server stopped uri='{}'", uri);
  }

  private static MongoBackend h2(Path dataDirectory) {
    try {
      var file = Files.createDirectories(dataDirectory).resolve("mongo.mv").toAbsolutePath();
      return new H2Backend(file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the MongoDB data directory", e);
    }
  }
}
