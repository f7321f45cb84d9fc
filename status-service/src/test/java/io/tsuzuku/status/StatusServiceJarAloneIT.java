package io.tsuzuku.status;

import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.LockedDoors;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The status-service from its own jar, alone (not the local stack, whose one classpath holds every module):
 * without a token only health answers; an organisation's token opens no operator endpoint and no
 * other organisation's data; an operator's token opens what the service exposes to operators.
 */
@WithEmbeddedInfrastructure
class StatusServiceJarAloneIT {

  @Test
  void startedFromItsJarItLetsNoStrangerIn(Endpoints endpoints) throws Exception {
    LockedDoors.assertJarLetsNoStrangerIn("status-service", endpoints, "status-service.json",
        List.of(), Map.of(),
        List.of("/actuator/info", "/actuator/parkedmessages", "/actuator/parkedrecords", "/actuator/prometheus"));
  }
}
