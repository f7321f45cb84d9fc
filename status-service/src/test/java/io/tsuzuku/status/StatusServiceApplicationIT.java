package io.tsuzuku.status;

import io.tsuzuku.standins.LocalTokens;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.status.adapter.in.web.StatusLabels;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.testkit.ServiceBootChecks;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

@WithEmbeddedInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StatusServiceApplicationIT {

  @Autowired ApplicationContext context;

  @Autowired StatusLabels labels;

  @Test
  void bootsAgainstTheRealServersAndReportsUp() {
    ServiceBootChecks.assertBootedAgainstEmbeddedInfrastructure(context, "tsuzuku-status",
        LocalTokens.mintOperator(LocalTokens.LOCAL_SECRET, "operator", java.time.Instant.now(), java.time.Duration.ofMinutes(5)));
  }

  @Test
  void theDefaultLabelsAreTheRenewedJapaneseOnes() {
    assertThat(labels.of(Status.ACTIVE)).isEqualTo("継続中");
    assertThat(labels.of(Status.RETRYING)).isEqualTo("リトライ中");
    assertThat(labels.of(Status.ERROR)).isEqualTo("エラー");
    assertThat(labels.of(Status.CANCELLED)).isEqualTo("解約");
  }
}
