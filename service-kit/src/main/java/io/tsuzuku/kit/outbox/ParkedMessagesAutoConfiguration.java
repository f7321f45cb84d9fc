package io.tsuzuku.kit.outbox;

import com.mongodb.client.MongoClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Where a service's outbox parks the messages it cannot publish: the service's MongoDB database,
 * listed for operators at {@code /actuator/parkedmessages} (where the service exposes it).
 */
@AutoConfiguration(after = MongoAutoConfiguration.class)
@ConditionalOnClass(MongoClient.class)
@ConditionalOnBean(MongoClient.class)
public class ParkedMessagesAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ParkedMessages parkedMessages(MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return new MongoParkedMessages(client.getDatabase(database));
  }

  @Bean
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  ParkedMessagesEndpoint parkedMessagesEndpoint(ParkedMessages parked) {
    return new ParkedMessagesEndpoint(parked);
  }
}
