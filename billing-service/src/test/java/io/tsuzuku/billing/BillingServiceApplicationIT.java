package io.tsuzuku.billing;

import io.tsuzuku.infra.embedded.junit.WithEmbeddedInfrastructure;
import io.tsuzuku.infra.embedded.junit.ServiceBootChecks;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

@WithEmbeddedInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BillingServiceApplicationIT {

  @Autowired ApplicationContext context;

  @Test
  void bootsAgainstTheRealServersAndReportsUp() {
    ServiceBootChecks.assertBootedAgainstEmbeddedInfrastructure(context, "tsuzuku-billing");
  }
}
