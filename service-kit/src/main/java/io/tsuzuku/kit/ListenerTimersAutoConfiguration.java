package io.tsuzuku.kit;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * No spring-kafka listener timer in any service: the record listeners are observed (their own
 * timer of that name), the batch listeners event by event ({@link InboundBatch}, {@code
 * tsuzuku.event.applied}); a service with both would register the two timers under one name,
 * which Prometheus refuses (one set of tags a name), dropping the second and warning.
 */
@AutoConfiguration
@ConditionalOnClass(ConcurrentMessageListenerContainer.class)
public class ListenerTimersAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> noListenerTimers() {
    return container -> container.getContainerProperties().setMicrometerEnabled(false);
  }
}
