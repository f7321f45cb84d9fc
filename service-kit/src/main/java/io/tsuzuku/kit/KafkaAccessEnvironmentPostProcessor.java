package io.tsuzuku.kit;

import io.tsuzuku.schemas.KafkaAccess;
import java.util.LinkedHashMap;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Every Kafka client of a service (listeners, outbox relays, admin) connects as the service's own
 * principal, SASL/SCRAM over TLS, its password the file of its name in the directory {@code
 * KAFKA_CREDENTIALS_DIR} names ({@link KafkaAccess}; docs/security.md, "The bus"). The principal
 * is {@code tsuzuku.kafka.principal}, the service's name by default. Given as {@code
 * spring.kafka.properties.*}, below every other source, so a deployment on another mechanism sets
 * its own.
 */
public class KafkaAccessEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  static final String SOURCE = "tsuzukuKafkaAccess";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    var principal = environment.getProperty("tsuzuku.kafka.principal", environment.getProperty("spring.application.name", ""));
    if (principal.isBlank() || environment.getProperty("spring.kafka.bootstrap-servers") == null) {
      return;
    }
    var properties = new LinkedHashMap<String, Object>();
    KafkaAccess.security(environment::getProperty, principal)
        .forEach((name, value) -> properties.put("spring.kafka.properties." + name, value));
    if (!properties.isEmpty()) {
      // a listener refused by the broker's ACLs (rights granted after the service started) tries again, never stops
      properties.put("spring.kafka.listener.auth-exception-retry-interval", "5s");
      environment.getPropertySources().addLast(new MapPropertySource(SOURCE, properties));
    }
  }

  @Override
  public int getOrder() {
    // after the application's own configuration, which names it
    return ConfigDataEnvironmentPostProcessor.ORDER + 1;
  }
}
