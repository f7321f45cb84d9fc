package io.tsuzuku.retry;

import io.tsuzuku.standins.LocalTokens;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.testkit.ServiceBootChecks;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

@WithEmbeddedInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RetryServiceApplicationIT {

  @Autowired ApplicationContext context;

  @Test
  void bootsAgainstTheRealServersAndReportsUp() {
    ServiceBootChecks.assertBootedAgainstEmbeddedInfrastructure(context, "tsuzuku-retry",
        LocalTokens.mintOperator(LocalTokens.LOCAL_SECRET, "operator", java.time.Instant.now(), java.time.Duration.ofMinutes(5)));
  }
}
