package io.tsuzuku.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.schemas.KafkaAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker lets in only a principal with its password, over TLS with the certificate
 * it made: a client without credentials, with another's password, or without TLS is refused.
 */
class KafkaBrokerSecurityIT {

  @Test
  void onlyAPrincipalWithItsPasswordOverTlsIsLetIn() throws Exception {
    try (var broker = EmbeddedKafkaBroker.start(null, 0)) {
      var credentials = broker.credentialsDirectory();
      var billing = settings(broker, KafkaAccess.security(credentials, "billing-service"));
      assertThat(clusterId(billing)).isNotBlank();
      assertThat(clusterId(settings(broker, KafkaAccess.security(credentials, KafkaAccess.DEPLOYMENT)))).isNotBlank();

      // no credentials at all: the listener speaks TLS and SASL, and a plain client gets no answer
      assertThatThrownBy(() -> clusterId(settings(broker, Map.of()))).isInstanceOf(ExecutionException.class);
      // SASL without TLS
      var noTls = new HashMap<>(KafkaAccess.security(credentials, "billing-service"));
      noTls.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
      assertThatThrownBy(() -> clusterId(settings(broker, noTls))).isInstanceOf(ExecutionException.class);
      // billing's name with the password of another principal
      var forged = new HashMap<>(KafkaAccess.security(credentials, "billing-service"));
      forged.put(SaslConfigs.SASL_JAAS_CONFIG,
          KafkaAccess.jaas("billing-service", Files.readString(credentials.resolve("retry-service")).strip()));
      assertThatThrownBy(() -> clusterId(settings(broker, forged)))
          .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
      // a name the broker does not know
      var unknown = new HashMap<>(KafkaAccess.security(credentials, "billing-service"));
      unknown.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaAccess.jaas("someone", "anything"));
      assertThatThrownBy(() -> clusterId(settings(broker, unknown)))
          .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
    }
  }

  @Test
  void aKeptDirectoryKeepsItsCertificateAndPasswords(@TempDir Path data) throws Exception {
    String truststore;
    String password;
    try (var broker = EmbeddedKafkaBroker.start(data.resolve("kafka"), 0)) {
      truststore = Files.readString(broker.credentialsDirectory().resolve(KafkaAccess.TRUSTSTORE));
      password = Files.readString(broker.credentialsDirectory().resolve("status-service"));
    }
    try (var broker = EmbeddedKafkaBroker.start(data.resolve("kafka"), 0)) {
      assertThat(broker.credentialsDirectory()).isEqualTo(data.resolve("kafka-credentials"));
      assertThat(Files.readString(broker.credentialsDirectory().resolve(KafkaAccess.TRUSTSTORE))).isEqualTo(truststore);
      assertThat(Files.readString(broker.credentialsDirectory().resolve("status-service"))).isEqualTo(password);
      assertThat(clusterId(settings(broker, KafkaAccess.security(broker.credentialsDirectory(), "status-service")))).isNotBlank();
    }
  }

  private static Map<String, Object> settings(EmbeddedKafkaBroker broker, Map<String, String> security) {
    var settings = new HashMap<String, Object>(security);
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
    return settings;
  }

  private static String clusterId(Map<String, Object> settings) throws Exception {
    try (var admin = Admin.create(settings)) {
      return admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
    }
  }
}
