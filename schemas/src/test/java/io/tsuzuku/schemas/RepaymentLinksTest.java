package io.tsuzuku.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsuzuku.schemas.RepaymentLinks.Link;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RepaymentLinksTest {

  private static final String PAIR = RepaymentLinks.generateKeyPair();
  private static final String PUBLIC = PAIR.substring(PAIR.indexOf(':') + 1);
  private static final Link LINK =
      new Link("req-1:c-1", "org-1", "c-1", LocalDate.of(2030, 3, 5), Instant.parse("2030-03-20T00:00:00Z"));

  private final RepaymentLinks.Signer signer = RepaymentLinks.Signer.of("key", PAIR);
  private final RepaymentLinks.Verifier verifier = RepaymentLinks.Verifier.of("keys", PUBLIC);

  @Test
  void aTokenTheStatusServiceMadeSaysWhatItWasMadeFor() {
    var token = signer.sign(LINK);

    assertThat(verifier.verify(token)).contains(LINK);
    assertThat(token).startsWith("repay.v1.").hasSizeLessThan(RepaymentLinks.MAX_LENGTH);
  }

  @Test
  void aTokenWithItsClaimsChangedOrSignedWithAnotherKeyIsNone() {
    var token = signer.sign(LINK);
    var parts = token.split("\\.");
    var otherClaims = new Link(LINK.linkId(), LINK.orgId(), "c-2", LINK.period(), LINK.expiresAt()).claims();
    var altered = String.join(".", parts[0], parts[1], parts[2],
        Base64.getUrlEncoder().withoutPadding().encodeToString(otherClaims.getBytes(StandardCharsets.UTF_8)), parts[4]);
    var forger = RepaymentLinks.Signer.of("key", RepaymentLinks.generateKeyPair());

    assertThat(verifier.verify(altered)).isEmpty();
    assertThat(verifier.verify(forger.sign(LINK))).isEmpty();
    assertThat(verifier.verify(token.substring(0, token.length() - 2))).isEmpty();
    assertThat(verifier.verify("repay.v1.x.y.z")).isEmpty();
    assertThat(verifier.verify(null)).isEmpty();
  }

  @Test
  void billingHoldingTheCurrentAndThePreviousKeyChecksTokensOfBoth() {
    var next = RepaymentLinks.generateKeyPair();
    var rotated = RepaymentLinks.Verifier.of("keys", next.substring(next.indexOf(':') + 1) + ", " + PUBLIC);

    assertThat(rotated.verify(signer.sign(LINK))).contains(LINK);
    assertThat(rotated.verify(RepaymentLinks.Signer.of("key", next).sign(LINK))).contains(LINK);
  }

  @Test
  void aServiceWithoutItsKeyOrWithHalvesOfTwoPairsDoesNotStart() {
    var other = RepaymentLinks.generateKeyPair();

    assertThatThrownBy(() -> RepaymentLinks.Signer.of("tsuzuku.status.repayment-link-key", " "))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tsuzuku.status.repayment-link-key is not set");
    assertThatThrownBy(() -> RepaymentLinks.Verifier.of("tsuzuku.billing.repayment-link-keys", ""))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tsuzuku.billing.repayment-link-keys is not set");
    assertThatThrownBy(() -> RepaymentLinks.Signer.of("key", PAIR.substring(0, PAIR.indexOf(':')) + other.substring(other.indexOf(':'))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not its private key's");
  }
}
