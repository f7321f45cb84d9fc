package io.tsuzuku.billing.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.billing.domain.FailureClass;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** {@code tsuzuku.billing.declines}: an organisation's own decline classes, stricter than the table only. */
class DeclineOverridesSettingTest {

  @Test
  void anOrganisationsOwnClassAppliesToItsDeclinesOnly() {
    var overrides = BillingServiceConfiguration.declineOverrides(new MockEnvironment()
        .withProperty("tsuzuku.billing.declines.org-strict.insufficient_funds", "HARD_DECLINE"));

    assertThat(overrides.classify("org-strict", "insufficient_funds", FailureClass.SOFT_DECLINE)).isEqualTo(FailureClass.HARD_DECLINE);
    assertThat(overrides.classify("org-other", "insufficient_funds", FailureClass.SOFT_DECLINE)).isEqualTo(FailureClass.SOFT_DECLINE);
    assertThat(overrides.classify("org-strict", "card_declined", FailureClass.SOFT_DECLINE)).isEqualTo(FailureClass.SOFT_DECLINE);
  }

  @Test
  void noSettingMeansTheTableAlone() {
    var overrides = BillingServiceConfiguration.declineOverrides(new MockEnvironment());

    assertThat(overrides.byOrganisation()).isEmpty();
  }

  @Test
  void aSettingThatWouldRetryWhatTheNetworksForbidStopsTheService() {
    assertThatThrownBy(() -> BillingServiceConfiguration.declineOverrides(new MockEnvironment()
        .withProperty("tsuzuku.billing.declines.org-lax.revocation_of_all_authorizations", "SOFT_DECLINE")))
        .hasMessageContaining("revocation_of_all_authorizations").hasMessageContaining("org-lax");
  }
}
