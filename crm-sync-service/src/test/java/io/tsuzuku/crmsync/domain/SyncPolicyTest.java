package io.tsuzuku.crmsync.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SyncPolicyTest {

  @Test
  void backOffGrowsByItsFactorUpToItsMaximum() {
    var backoff = new Backoff(Duration.ofSeconds(5), 2, Duration.ofSeconds(30));

    assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(20));
    assertThat(backoff.after(4)).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.after(400)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void callsAreSpacedOutOnlyNearTheDailyLimit() {
    var policy = SyncPolicy.DEFAULT;

    assertThat(policy.spacing(null)).isZero();
    assertThat(policy.spacing(new ApiUsage(7_999, 10_000))).isZero();
    assertThat(policy.spacing(new ApiUsage(8_000, 10_000))).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.spacing(new ApiUsage(9_500, 10_000))).isEqualTo(Duration.ofMinutes(5));
    assertThat(policy.spacing(new ApiUsage(9_900, 10_000))).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void theApiUsageIsReadFromSforceLimitInfo() {
    assertThat(ApiUsage.parse("api-usage=18/5000")).contains(new ApiUsage(18, 5_000));
    assertThat(ApiUsage.parse("per-app-api-usage=1/100(appName=x), api-usage=25/15000")).contains(new ApiUsage(25, 15_000));
    assertThat(ApiUsage.parse("nonsense")).isEmpty();
    assertThat(ApiUsage.parse(null)).isEmpty();
  }
}
