package io.tsuzuku.retry;

import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.LockedDoors;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The retry-service from its own jar, alone (not the local stack, whose one classpath holds every module):
 * without a token only health answers; an organisation's token opens no operator endpoint and no
 * other organisation's data; an operator's token opens what the service exposes to operators.
 */
@WithEmbeddedInfrastructure
class RetryServiceJarAloneIT {

  @Test
  void startedFromItsJarItLetsNoStrangerIn(Endpoints endpoints) throws Exception {
    LockedDoors.assertJarLetsNoStrangerIn("retry-service", endpoints, null,
        List.of(), Map.of(),
        List.of("/actuator/info", "/actuator/parkedrecords", "/actuator/prometheus"));
  }
}
