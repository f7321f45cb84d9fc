package io.tsuzuku.schemas;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The token of a re-payment link (docs/events.md, "Re-payment requests"): what the status-service
 * puts in {@code RepaymentRequested} for the supporter's link, and billing reads back from {@code
 * RepaymentSubmitted}. It names the request, the organisation, the contract, the outstanding period
 * and when it expires, signed with the status-service's Ed25519 key: billing, holding only the
 * public key, can tell a token the status-service made from any other, and nobody else can make
 * one. Single use is billing's to keep (its ledger remembers the links it charged).
 *
 * <p>A token is {@code repay.v1.<key id>.<claims>.<signature>}, each part base64url; the key id is
 * the first bytes of the SHA-256 of the public key, so billing holding the current key and the ones
 * before it checks tokens made with any of them.
 */
public final class RepaymentLinks {

  /**
   * The longest token a record may carry: one made for the longest organisation and contract ids
   * ({@link RecordRules}), each character of them three bytes in UTF-8, is under 1,700 characters.
   */
  public static final int MAX_LENGTH = 2_048;

  private static final String PREFIX = "repay.v1.";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private RepaymentLinks() {}

  /**
   * What a token says: the request it was made for ({@code linkId}, the request's event id), and the
   * one re-payment it pays, until {@code expiresAt}.
   */
  public record Link(String linkId, String orgId, String contractId, LocalDate period, Instant expiresAt) {

    String claims() {
      return String.join("\n", linkId, orgId, contractId, period.toString(), Long.toString(expiresAt.getEpochSecond()));
    }

    static Link of(String claims) {
      var parts = claims.split("\n", -1);
      if (parts.length != 5) {
        throw new IllegalArgumentException("not the claims of a link");
      }
      return new Link(parts[0], parts[1], parts[2], LocalDate.parse(parts[3]), Instant.ofEpochSecond(Long.parseLong(parts[4])));
    }
  }

  /** The status-service's side: makes tokens with its private key. */
  public static final class Signer {
    private final PrivateKey privateKey;
    private final String keyId;

    private Signer(PrivateKey privateKey, PublicKey publicKey) {
      this.privateKey = privateKey;
      this.keyId = keyId(publicKey);
      var probe = new Link("probe", "probe", "probe", LocalDate.EPOCH, Instant.EPOCH);
      if (new Verifier(Map.of(keyId, publicKey)).verify(sign(probe)).isEmpty()) {
        throw new IllegalArgumentException("a link key pair whose public key is not its private key's (" + keyId + ")");
      }
    }

    /**
     * The signer of a setting: {@code <base64 PKCS#8 Ed25519 private key>:<base64 X.509 public key>}.
     *
     * @throws IllegalStateException when the setting is empty: the service does not start without its key
     */
    public static Signer of(String setting, String keyPair) {
      if (keyPair == null || keyPair.isBlank()) {
        throw new IllegalStateException(setting + " is not set: the key pair that signs re-payment links"
            + " (docs/events.md, \"Re-payment requests\")");
      }
      var parts = keyPair.strip().split(":", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException(setting + " is <base64 PKCS#8 Ed25519 private key>:<base64 X.509 public key>");
      }
      try {
        var factory = KeyFactory.getInstance("Ed25519");
        return new Signer(factory.generatePrivate(new PKCS8EncodedKeySpec(SealedFields.decode(parts[0]))), publicKey(parts[1]));
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(setting + " is not an Ed25519 private key: " + e.getMessage(), e);
      }
    }

    public String sign(Link link) {
      var claims = link.claims().getBytes(StandardCharsets.UTF_8);
      try {
        var signature = Signature.getInstance("Ed25519");
        signature.initSign(privateKey);
        signature.update(signed(keyId, claims));
        return PREFIX + keyId + "." + ENCODER.encodeToString(claims) + "." + ENCODER.encodeToString(signature.sign());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Billing's side: checks tokens against the status-service's public keys, the current one first. */
  public static final class Verifier {
    private final Map<String, PublicKey> byId;

    private Verifier(Map<String, PublicKey> byId) {
      this.byId = byId;
    }

    /**
     * The verifier of a setting: base64 X.509 Ed25519 public keys, separated by commas.
     *
     * @throws IllegalStateException when the setting holds none
     */
    public static Verifier of(String setting, String publicKeys) {
      var byId = new LinkedHashMap<String, PublicKey>();
      Arrays.stream(publicKeys == null ? new String[0] : publicKeys.split(",")).map(String::strip).filter(k -> !k.isEmpty())
          .map(RepaymentLinks::publicKey).forEach(key -> byId.put(keyId(key), key));
      if (byId.isEmpty()) {
        throw new IllegalStateException(setting + " is not set: the public keys that check re-payment links"
            + " (docs/events.md, \"Re-payment requests\")");
      }
      return new Verifier(Map.copyOf(byId));
    }

    /** What the token says, if one of these keys signed it; empty for anything else, however it is made. */
    public Optional<Link> verify(String token) {
      var parts = token == null ? new String[0] : token.split("\\.", -1);
      if (parts.length != 5 || !token.startsWith(PREFIX) || token.length() > MAX_LENGTH || !byId.containsKey(parts[2])) {
        return Optional.empty();
      }
      try {
        var claims = DECODER.decode(parts[3]);
        var signature = Signature.getInstance("Ed25519");
        signature.initVerify(byId.get(parts[2]));
        signature.update(signed(parts[2], claims));
        if (!signature.verify(DECODER.decode(parts[4]))) {
          return Optional.empty();
        }
        return Optional.of(Link.of(new String(claims, StandardCharsets.UTF_8)));
      } catch (GeneralSecurityException | RuntimeException e) { // whatever a forged token makes the JDK throw
        return Optional.empty();
      }
    }
  }

  /**
   * The id of the link a request makes, from the request's event id for the contract: of a fixed
   * length, and telling nothing of the request (its key) to whoever reads the link.
   */
  public static String linkIdOf(String requestEventId) {
    try {
      var digest = MessageDigest.getInstance("SHA-256").digest(requestEventId.getBytes(StandardCharsets.UTF_8));
      return ENCODER.encodeToString(Arrays.copyOf(digest, 18));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new Ed25519 key pair as the status-service's setting holds it, for a deployment or a rotation. */
  public static String generateKeyPair() {
    try {
      var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return ENCODER.encodeToString(pair.getPrivate().getEncoded()) + ":" + ENCODER.encodeToString(pair.getPublic().getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key id and the claims, as signed: a token's claims moved under another key id do not verify. */
  private static byte[] signed(String keyId, byte[] claims) {
    var id = (keyId + ".").getBytes(StandardCharsets.US_ASCII);
    var bytes = Arrays.copyOf(id, id.length + claims.length);
    System.arraycopy(claims, 0, bytes, id.length, claims.length);
    return bytes;
  }

  private static PublicKey publicKey(String base64) {
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(SealedFields.decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  private static String keyId(PublicKey key) {
    return SealedFields.keyId(key.getEncoded());
  }
}
