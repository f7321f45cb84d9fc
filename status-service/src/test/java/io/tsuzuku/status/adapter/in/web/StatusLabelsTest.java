package io.tsuzuku.status.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.status.domain.Status;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusLabelsTest {

  @Test
  void anOrganisationMayKeepTheOldLabelForTheFailedPaymentStatus() {
    var labels =
        new StatusLabels(
            Map.of(Status.ACTIVE, "継続中", Status.RETRYING, "再決済待ち", Status.ERROR, "再決済待ち", Status.CANCELLED, "解約"));

    assertThat(labels.of(Status.ERROR)).isEqualTo("再決済待ち");
  }

  @Test
  void aStatusWithoutLabelIsAConfigurationError() {
    assertThatThrownBy(() -> new StatusLabels(Map.of(Status.ACTIVE, "継続中")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tsuzuku.status.labels.RETRYING is missing");
  }
}
