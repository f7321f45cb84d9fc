package io.tsuzuku.crmsync.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client-credentials POST carries the secret: it goes to an org's My Domain only, the one
 * kind of Salesforce host where the client credentials flow works.
 */
class LoginUrlPolicyTest {

  private final LoginUrlPolicy production = LoginUrlPolicy.salesforceAnd(List.of());
  private final LoginUrlPolicy localStack = LoginUrlPolicy.salesforceAnd(List.of("http://127.0.0.1:*"));

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "https://example.my.salesforce.com", "https://example--uat.sandbox.my.salesforce.com",
    "https://example-dev-ed.develop.my.salesforce.com", "https://example.my.salesforce.com/"})
  void myDomainHostsAreAllowed(String loginUrl) {
    assertThat(production.refusal(loginUrl)).isEmpty();
  }

  /** Salesforce's generic login hosts do not support the client credentials flow (Salesforce Help). */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"https://login.salesforce.com", "https://test.salesforce.com"})
  void theGenericLoginHostsAreRefusedWithAMessageNamingMyDomain(String loginUrl) {
    assertThat(production.refusal(loginUrl)).hasValueSatisfying(reason -> assertThat(reason)
        .contains("My Domain", "https://<MyDomainName>.my.salesforce.com", "client credentials"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "https://169.254.169.254", "https://10.0.0.5", "https://[::1]", "https://2130706433", "http://localhost:8094",
    "https://attacker.example", "https://my.salesforce.com.attacker.example", "https://evilmy.salesforce.com",
    "http://example.my.salesforce.com", "https://user:pass@example.my.salesforce.com", "https://example.my.salesforce.com#x",
    "https://example.my.salesforce.com?x=1", "https://example.my.salesforce.com/services/oauth2", "ftp://login.salesforce.com",
    "not a url"})
  void anythingElseIsRefusedInProduction(String loginUrl) {
    assertThat(production.refusal(loginUrl)).isPresent();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"http://127.0.0.1:8094", "http://127.0.0.1:51234"})
  void theLocalStackAddsItsStubOrg(String loginUrl) {
    assertThat(localStack.refusal(loginUrl)).isEmpty();
    assertThat(localStack.refusal("http://10.0.0.5:8094")).as("an IP literal not named").isPresent();
    assertThat(localStack.refusal("http://127.0.0.1:8094/services")).as("more than an origin").isPresent();
  }
}
