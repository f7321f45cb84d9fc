package io.tsuzuku.crmsync.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Client secrets at rest: sealed, opened with the key that sealed them, rotated without loss. */
class SecretCipherTest {

  private static final String OLD_KEY = "the-old-secrets-key-of-at-least-32-chars";
  private static final String NEW_KEY = "the-new-secrets-key-of-at-least-32-chars";

  @Test
  void aSealedSecretIsNotTheSecretAndOpensWithItsKey() {
    var cipher = new SecretCipher(NEW_KEY, List.of());

    var sealed = cipher.seal("salesforce-client-secret");

    assertThat(sealed.cipherText()).doesNotContain("salesforce-client-secret");
    assertThat(cipher.open(sealed)).isEqualTo("salesforce-client-secret");
    assertThat(cipher.seal("salesforce-client-secret").cipherText()).as("a fresh nonce each time").isNotEqualTo(sealed.cipherText());
  }

  @Test
  void afterARotationTheOldKeyStillOpensAndTheNewOneSeals() {
    var sealedBefore = new SecretCipher(OLD_KEY, List.of()).seal("s3cret");
    var rotated = new SecretCipher(NEW_KEY, List.of(OLD_KEY));

    assertThat(rotated.isCurrent(sealedBefore)).isFalse();
    assertThat(rotated.open(sealedBefore)).isEqualTo("s3cret");
    assertThat(rotated.isCurrent(rotated.seal("s3cret"))).isTrue();
    assertThatThrownBy(() -> new SecretCipher(NEW_KEY, List.of()).open(sealedBefore)).hasMessageContaining("neither");
  }

  @Test
  void noServiceStartsWithoutAKey() {
    assertThatThrownBy(() -> new SecretCipher("", List.of())).hasMessageContaining("TSUZUKU_SECRETS_KEY");
    assertThatThrownBy(() -> new SecretCipher("short", List.of())).hasMessageContaining("32");
  }
}
