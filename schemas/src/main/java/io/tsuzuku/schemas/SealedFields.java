package io.tsuzuku.schemas;

import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.PaymentMethodUpdated;
import io.tsuzuku.events.Supporter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A field of an event only its reader may read (docs/events.md, "Sealed fields"): the writer seals
 * the value with the reader's public key, so the other readers of the topic, the broker and its
 * backups see only the sealed text. The payment-method token of {@code ContractRegistered} is
 * sealed for the billing-service; its supporter (id, name and e-mail) for the status-service.
 *
 * <p>A sealed value is {@code sealed.v1.<key id>.<ephemeral key>.<nonce and ciphertext>}, each part
 * base64url: an X25519 key agreement between a key made for this record's values for this reader
 * and the reader's key, the shared secret expanded with HKDF-SHA256 (RFC 5869) into an AES-256-GCM
 * key, which encrypts each value with a nonce of its own, bound to its context ({@link #context}: the field, the organisation and the contract), so a
 * sealed value copied into another field, contract or organisation does not open. The key id names
 * the reader's key (the first bytes of the SHA-256 of its public key), so a reader holding its
 * current key and the ones before it opens values sealed with any of them. The agreement, the
 * costly step, is made once per record and reader on each side (the opener keeps the last ones).
 */
public final class SealedFields {

  /** The sealed fields of {@code ContractRegistered}, as their contexts name them. */
  public static final String PAYMENT_METHOD_TOKEN = "paymentMethodToken";
  public static final String SUPPORTER_ID = "supporter.supporterId";
  public static final String SUPPORTER_NAME = "supporter.name";
  public static final String SUPPORTER_EMAIL = "supporter.email";

  /** The longest sealed value a record may carry (an id of {@link RecordRules#MAX_ID_LENGTH} seals to under 400 characters). */
  public static final int MAX_LENGTH = 1_024;

  private static final String PREFIX = "sealed.v1.";
  private static final byte[] INFO = "tsuzuku sealed field v1".getBytes(StandardCharsets.UTF_8);
  private static final int NONCE_BYTES = 12;
  /** An X25519 public key as X.509 encodes it: 12 bytes of algorithm, 32 of key. */
  private static final int X25519_PUBLIC_KEY_BYTES = 44;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private SealedFields() {}

  /**
   * What a sealed value is bound to: the field, the organisation and the contract it belongs to,
   * each but the last preceded by its length, so no two triples give the same context.
   */
  public static String context(String field, String orgId, String contractId) {
    return field.length() + ":" + field + "|" + orgId.length() + ":" + orgId + "|" + contractId;
  }

  /**
   * A registration as a donation form sends it: its payment-method token sealed for the
   * billing-service, its supporter's id, name and e-mail for the status-service; the rest as it is.
   */
  public static ContractRegistered sealed(ContractRegistered registration, PublicKey billing, PublicKey status) {
    var header = registration.getHeader();
    var supporter = registration.getSupporter();
    // one key agreement per reader: the supporter's three fields share theirs, each with its own nonce and context
    var forStatus = new Sealer(status);
    return ContractRegistered.newBuilder(registration)
        .setPaymentMethodToken(seal(registration.getPaymentMethodToken(), billing,
            context(PAYMENT_METHOD_TOKEN, header.getOrgId(), header.getContractId())))
        .setSupporter(Supporter.newBuilder(supporter)
            .setSupporterId(forStatus.seal(supporter.getSupporterId(), context(SUPPORTER_ID, header.getOrgId(), header.getContractId())))
            .setName(forStatus.seal(supporter.getName(), context(SUPPORTER_NAME, header.getOrgId(), header.getContractId())))
            .setEmail(forStatus.seal(supporter.getEmail(), context(SUPPORTER_EMAIL, header.getOrgId(), header.getContractId())))
            .build())
        .build();
  }

  /**
   * A card update as the re-payment form sends it: the new card's token sealed for the
   * billing-service, bound to the contract the supporter updated it from.
   */
  public static PaymentMethodUpdated sealed(PaymentMethodUpdated update, PublicKey billing) {
    var header = update.getHeader();
    return PaymentMethodUpdated.newBuilder(update)
        .setPaymentMethodToken(seal(update.getPaymentMethodToken(), billing,
            context(PAYMENT_METHOD_TOKEN, header.getOrgId(), header.getContractId())))
        .build();
  }

  /**
   * Whether {@code value} has the shape of a sealed value: what a service that passes a field on
   * sealed, without the key to open it, can check.
   */
  public static boolean looksSealed(String value) {
    return value != null && value.startsWith(PREFIX) && value.split("\\.", -1).length == 5;
  }

  /** Seals {@code value} for the holder of {@code reader}'s private key, bound to {@code context}. */
  public static String seal(String value, PublicKey reader, String context) {
    return new Sealer(reader).seal(value, context);
  }

  /**
   * Seals values for one reader with one key made for them: the values of one record, each with a
   * nonce of its own and bound to its own context, for one key agreement on each side.
   */
  private static final class Sealer {

    private final String prefix;
    private final SecretKeySpec key;

    Sealer(PublicKey reader) {
      try {
        var ephemeral = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        var ephemeralPublic = ephemeral.getPublic().getEncoded();
        this.key = key(ephemeral.getPrivate(), reader, ephemeralPublic, reader.getEncoded());
        this.prefix = PREFIX + keyId(reader.getEncoded()) + "." + ENCODER.encodeToString(ephemeralPublic) + ".";
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot seal a field: " + e.getMessage(), e);
      }
    }

    String seal(String value, String context) {
      try {
        var nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        var cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        var sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
        return prefix + ENCODER.encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot seal a field: " + e.getMessage(), e);
      }
    }
  }

  /** A reader's private keys, its current one first; it opens what was sealed for any of them. */
  public static final class Opener {

    private final Map<String, PrivateKey> byId = new LinkedHashMap<>();
    private final Map<String, byte[]> publicById = new LinkedHashMap<>();
    /** The keys agreed for the last values opened, by key id and ephemeral key: a record's fields share one. */
    private final Map<String, SecretKeySpec> agreed = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, SecretKeySpec> eldest) {
        return size() > 256;
      }
    });

    /**
     * The keys of a service's setting: key pairs ({@link KeyPairText#parse}) separated by commas,
     * the current one first.
     *
     * @throws IllegalStateException when the setting holds none: a service never reads a sealed
     *     field as it is, so it does not start without its key
     */
    public static Opener of(String setting, String keys) {
      var pairs = java.util.Arrays.stream(keys == null ? new String[0] : keys.split(","))
          .map(String::strip).filter(pair -> !pair.isEmpty()).map(KeyPairText::parse).toList();
      if (pairs.isEmpty()) {
        throw new IllegalStateException(setting + " is not set: the key pairs that open the fields sealed for this service"
            + " (docs/events.md, \"Sealed fields\")");
      }
      return new Opener(pairs);
    }

    /**
     * @param keys base64 PKCS#8 X25519 private keys and their base64 X.509 public keys, as {@link KeyPairText}
     * @throws IllegalArgumentException for a key that is not one, or a public key that is not its private key's
     */
    public Opener(List<KeyPairText> keys) {
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("no key to open sealed fields with");
      }
      for (var key : keys) {
        var publicKey = publicKey(key.publicKey()).getEncoded();
        byId.put(keyId(publicKey), privateKey(key.privateKey()));
        publicById.put(keyId(publicKey), publicKey);
        // a pair whose halves do not match would start and then refuse every record: it does not start
        var probe = SealedFields.seal("probe", publicKey(key.publicKey()), "probe");
        try {
          open(probe, "probe");
        } catch (UnprocessableRecordException e) {
          throw new IllegalArgumentException("a sealing key pair whose public key is not its private key's (" + keyId(publicKey) + ")");
        }
      }
    }

    /**
     * The value {@code sealed} holds.
     *
     * @throws UnprocessableRecordException when it is not a sealed value, was sealed for another key,
     *     for another context, or altered: a record carrying it is refused, never read as it is
     */
    public String open(String sealed, String context) {
      var parts = sealed.split("\\.", -1);
      if (!looksSealed(sealed)) {
        throw new UnprocessableRecordException("a field that must be sealed for this service is not a sealed value");
      }
      var privateKey = byId.get(parts[2]);
      if (privateKey == null) {
        throw new UnprocessableRecordException("a field is sealed for a key this service does not hold"
            + (parts[2].matches("[A-Za-z0-9_-]{12}") ? " (" + parts[2] + ")" : ""));
      }
      try {
        var key = agreed.get(parts[2] + "." + parts[3]);
        if (key == null) {
          var ephemeralPublic = DECODER.decode(parts[3]);
          if (ephemeralPublic.length != X25519_PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("not an X25519 public key");
          }
          var ephemeral = KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(ephemeralPublic));
          key = key(privateKey, ephemeral, ephemeralPublic, publicById.get(parts[2]));
          agreed.put(parts[2] + "." + parts[3], key);
        }
        var body = DECODER.decode(parts[4]);
        var cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, body, 0, NONCE_BYTES));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return new String(cipher.doFinal(body, NONCE_BYTES, body.length - NONCE_BYTES), StandardCharsets.UTF_8);
      } catch (GeneralSecurityException | RuntimeException e) { // whatever a forged value makes the JDK throw
        throw new UnprocessableRecordException(
            "a sealed field does not open: altered, or sealed for another field, contract or organisation");
      }
    }
  }

  /** A key pair as configuration holds it: base64 PKCS#8 private key, base64 X.509 public key. */
  public record KeyPairText(String privateKey, String publicKey) {

    /** Parses {@code private:public}, as a setting or a secret file holds each key pair. */
    public static KeyPairText parse(String text) {
      var parts = text.strip().split(":", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException("a sealing key pair is <base64 PKCS#8 private key>:<base64 X.509 public key>");
      }
      return new KeyPairText(parts[0].strip(), parts[1].strip());
    }

    /** A new X25519 key pair, for a reader that starts sealing or rotates its key. */
    public static KeyPairText generate() {
      try {
        var pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        return new KeyPairText(ENCODER.encodeToString(pair.getPrivate().getEncoded()), ENCODER.encodeToString(pair.getPublic().getEncoded()));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    public PublicKey publicKeyValue() {
      return SealedFields.publicKey(publicKey);
    }

    @Override
    public String toString() {
      return privateKey + ":" + publicKey;
    }
  }

  /** A reader's public key from its base64 (URL-safe or not) X.509 encoding, as it publishes it. */
  public static PublicKey publicKey(String base64) {
    try {
      return KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(decode(base64)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an X25519 public key: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(String base64) {
    try {
      return KeyFactory.getInstance("X25519").generatePrivate(new PKCS8EncodedKeySpec(decode(base64)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an X25519 private key: " + e.getMessage(), e);
    }
  }

  /** Base64, URL-safe or not, as a key's setting may hold it. */
  static byte[] decode(String base64) {
    var text = base64.strip();
    return text.contains("+") || text.contains("/") || text.endsWith("=") ? Base64.getDecoder().decode(text) : DECODER.decode(text);
  }

  private static SecretKeySpec key(PrivateKey own, PublicKey other, byte[] ephemeralPublic, byte[] readerPublic)
      throws GeneralSecurityException {
    var agreement = KeyAgreement.getInstance("X25519");
    agreement.init(own);
    agreement.doPhase(other, true);
    var shared = agreement.generateSecret();
    var salt = ByteBuffer.allocate(ephemeralPublic.length + readerPublic.length).put(ephemeralPublic).put(readerPublic).array();
    // HKDF-SHA256: extract with the two public keys as salt, expand to one 32-byte block
    var mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt, "HmacSHA256"));
    var prk = mac.doFinal(shared);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update(INFO);
    mac.update((byte) 1);
    return new SecretKeySpec(mac.doFinal(), "AES");
  }

  /** A public key's id: the first bytes of its SHA-256, base64url. */
  static String keyId(byte[] publicKey) {
    try {
      return ENCODER.encodeToString(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(publicKey), 9));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
