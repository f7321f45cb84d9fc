package io.tsuzuku.crmsync;

import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.LockedDoors;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The crm-sync-service from its own jar, alone (not the local stack, whose one classpath holds every module):
 * without a token only health answers; an organisation's token opens no operator endpoint and no
 * other organisation's data; an operator's token opens what the service exposes to operators.
 */
@WithEmbeddedInfrastructure
class CrmSyncServiceJarAloneIT {

  @Test
  void startedFromItsJarItLetsNoStrangerIn(Endpoints endpoints) throws Exception {
    LockedDoors.assertJarLetsNoStrangerIn("crm-sync-service", endpoints, "crm-sync-service.json",
        List.of(), Map.of("tsuzuku.crm-sync.secrets-key", "test-secrets-key-of-the-crm-sync-tests-0123456789"),
        List.of("/actuator/info", "/actuator/prometheus"));
  }
}
