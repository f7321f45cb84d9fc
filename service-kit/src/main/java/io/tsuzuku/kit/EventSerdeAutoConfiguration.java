package io.tsuzuku.kit;

import io.tsuzuku.schemas.AvroSerdes;
import java.util.HashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * Applies {@link AvroSerdes} to the producers and consumers Spring Boot builds, so a service's
 * only serde setting is the registry address ({@code tsuzuku.schema-registry.url}). Consumers
 * wrap the Avro deserializer in spring-kafka's {@link ErrorHandlingDeserializer}: a record that
 * cannot be decoded reaches the error handler (and its dead-letter topic) instead of stopping the
 * consumer.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@ConditionalOnClass({KafkaAutoConfiguration.class, ErrorHandlingDeserializer.class})
@ConditionalOnProperty("tsuzuku.schema-registry.url")
public class EventSerdeAutoConfiguration {

  public static final String REGISTRY_URL_PROPERTY = "tsuzuku.schema-registry.url";

  @Bean
  DefaultKafkaProducerFactoryCustomizer tsuzukuAvroProducerSettings(Environment environment) {
    // the services register no schema: RegisterSchemas did at deploy time (the local stack at its start)
    var autoRegister = environment.getProperty("tsuzuku.schema-registry.auto-register", Boolean.class, false);
    return factory -> factory.updateConfigs(AvroSerdes.producerSettings(registryUrl(environment), autoRegister));
  }

  @Bean
  DefaultKafkaConsumerFactoryCustomizer tsuzukuAvroConsumerSettings(Environment environment) {
    return factory -> {
      var settings = new HashMap<>(AvroSerdes.consumerSettings(registryUrl(environment)));
      settings.put(
          ErrorHandlingDeserializer.KEY_DESERIALIZER_CLASS,
          settings.get(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG));
      settings.put(
          ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS,
          settings.get(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG));
      settings.put(
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class.getName());
      settings.put(
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class.getName());
      factory.updateConfigs(settings);
    };
  }

  private static String registryUrl(Environment environment) {
    return environment.getRequiredProperty(REGISTRY_URL_PROPERTY);
  }
}
