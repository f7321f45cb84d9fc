package io.tsuzuku.crmsync.adapter.out.mongo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.crypto.encrypt.Encryptors;
import org.springframework.security.crypto.encrypt.TextEncryptor;

/**
 * Encrypts the organisations' Salesforce client secrets at rest: AES-256-GCM with a key derived
 * (PBKDF2) from {@code tsuzuku.crm-sync.secrets-key}, through Spring Security Crypto. Each sealed
 * secret names the key that sealed it (a digest, never the key), so that a key can be rotated: the
 * new key seals, the previous ones ({@code previous-secrets-keys}) still open, and the store seals
 * every secret again with the new key when the service starts.
 */
public final class SecretCipher {

  /** A secret as stored: the id of the key that sealed it, and the cipher text. */
  public record Sealed(String keyId, String cipherText) {}

  private static final String SALT = HexFormat.of().formatHex("tsuzuku-crm-sync".getBytes(StandardCharsets.UTF_8));

  private final String currentKeyId;
  private final Map<String, TextEncryptor> byKeyId = new LinkedHashMap<>();

  /**
   * @param key at least 32 characters, from the environment (TSUZUKU_SECRETS_KEY)
   * @param previousKeys keys that sealed secrets before the current one, to open them
   */
  public SecretCipher(String key, List<String> previousKeys) {
    if (key == null || key.length() < 32) {
      throw new IllegalStateException("tsuzuku.crm-sync.secrets-key (TSUZUKU_SECRETS_KEY) must be set, at least 32 characters: "
          + "the Salesforce client secrets are encrypted with it");
    }
    currentKeyId = keyId(key);
    byKeyId.put(currentKeyId, Encryptors.delux(key, SALT));
    previousKeys.stream().filter(k -> k != null && !k.isBlank()).forEach(k -> byKeyId.putIfAbsent(keyId(k), Encryptors.delux(k, SALT)));
  }

  public Sealed seal(String secret) {
    return new Sealed(currentKeyId, byKeyId.get(currentKeyId).encrypt(secret));
  }

  public String open(Sealed sealed) {
    var encryptor = byKeyId.get(sealed.keyId());
    if (encryptor == null) {
      throw new IllegalStateException("a client secret was sealed with key " + sealed.keyId()
          + ", which is neither tsuzuku.crm-sync.secrets-key nor one of its previous-secrets-keys");
    }
    return encryptor.decrypt(sealed.cipherText());
  }

  public boolean isCurrent(Sealed sealed) {
    return currentKeyId.equals(sealed.keyId());
  }

  private static String keyId(String key) {
    try {
      var digest = MessageDigest.getInstance("SHA-256").digest(("tsuzuku key id:" + key).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
