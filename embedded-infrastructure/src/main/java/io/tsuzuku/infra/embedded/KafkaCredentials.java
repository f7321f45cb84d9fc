package io.tsuzuku.infra.embedded;

import io.tsuzuku.schemas.KafkaAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * The embedded broker's secrets, in a directory of their own ({@code KAFKA_CREDENTIALS_DIR}, as
 * {@link KafkaAccess} reads it): a self-signed certificate for 127.0.0.1 and its key (made once,
 * with the JDK's {@code keytool}), the certificate again as {@value KafkaAccess#TRUSTSTORE} for the
 * clients, and one password file per principal (made once, random). A kept data directory keeps
 * them across restarts. The broker's own password is made at each start and never written.
 */
final class KafkaCredentials {

  private static final String KEYSTORE = "broker-keystore.p12";
  private static final String KEYSTORE_PASSWORD = "broker-keystore.password";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path directory;
  private final List<String> principals;
  private final String brokerPassword = randomPassword();

  private KafkaCredentials(Path directory, List<String> principals) {
    this.directory = directory;
    this.principals = principals;
  }

  /** Makes what the directory does not hold yet: the certificate and a password per principal. */
  static KafkaCredentials prepare(Path directory, List<String> principals) {
    var credentials = new KafkaCredentials(directory, principals);
    if (!Files.exists(credentials.keystore())) {
      credentials.makeCertificate();
    }
    for (var principal : principals) {
      writeOnce(directory.resolve(principal), randomPassword());
    }
    return credentials;
  }

  Path directory() {
    return directory;
  }

  Path keystore() {
    return directory.resolve(KEYSTORE);
  }

  String keystorePassword() {
    return read(directory.resolve(KEYSTORE_PASSWORD));
  }

  String brokerPassword() {
    return brokerPassword;
  }

  /**
   * Gives every principal its SCRAM credential on the started broker, through its internal
   * listener, and returns once the broker knows them all: a client that starts next authenticates.
   */
  void register(String internalBootstrap) {
    var settings = Map.<String, Object>of(
        "bootstrap.servers", internalBootstrap,
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", "PLAIN",
        "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"%s\" password=\"%s\";"
            .formatted(EmbeddedKafkaBroker.BROKER_PRINCIPAL, brokerPassword));
    var upsertions = new ArrayList<org.apache.kafka.clients.admin.UserScramCredentialAlteration>();
    for (var principal : principals) {
      upsertions.add(new UserScramCredentialUpsertion(principal,
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), read(directory.resolve(principal))));
    }
    try (var admin = Admin.create(settings)) {
      admin.alterUserScramCredentials(upsertions).all().get(1, TimeUnit.MINUTES);
      var deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (!admin.describeUserScramCredentials(principals).all().get(1, TimeUnit.MINUTES).keySet().containsAll(principals)) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("the broker did not learn its principals' credentials in a minute");
        }
        Thread.sleep(50);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot give the Kafka principals their credentials: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void makeCertificate() {
    var password = randomPassword();
    var keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "kafka", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=tsuzuku embedded Kafka", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "3650",
        "-storetype", "PKCS12", "-keystore", keystore().toString(), "-storepass", password, "-keypass", password);
    run(keytool, "-exportcert", "-rfc", "-alias", "kafka", "-keystore", keystore().toString(),
        "-storepass", password, "-file", directory.resolve(KafkaAccess.TRUSTSTORE).toString());
    writeOnce(directory.resolve(KEYSTORE_PASSWORD), password);
  }

  private static void run(String... command) {
    try {
      var process = new ProcessBuilder(command).redirectErrorStream(true).start();
      var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException("cannot make the Kafka broker's certificate: " + output.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run keytool to make the Kafka broker's certificate", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void writeOnce(Path file, String secret) {
    if (Files.exists(file)) {
      return;
    }
    try {
      Files.writeString(file, secret, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // a file system without POSIX permissions: the directory's own protect it
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String randomPassword() {
    var bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
