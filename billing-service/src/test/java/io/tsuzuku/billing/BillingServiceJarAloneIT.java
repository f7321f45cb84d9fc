package io.tsuzuku.billing;

import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.LockedDoors;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The billing-service from its own jar, alone (not the local stack, whose one classpath holds every module):
 * without a token only health answers; an organisation's token opens no operator endpoint and no
 * other organisation's data; an operator's token opens what the service exposes to operators.
 */
@WithEmbeddedInfrastructure
class BillingServiceJarAloneIT {

  @Test
  void startedFromItsJarItLetsNoStrangerIn(Endpoints endpoints) throws Exception {
    LockedDoors.assertJarLetsNoStrangerIn("billing-service", endpoints, null,
        // Stripe's key as compose gives it, a file: without it the service would not start
        List.of("--tsuzuku.billing.processor=stripe"), Map.of("tsuzuku.billing.stripe.api-key", "rk_test_from_a_secret_file"),
        List.of("/actuator/info", "/actuator/stuckcharges", "/actuator/parkedmessages", "/actuator/parkedrecords", "/actuator/prometheus"));
  }
}
