package io.tsuzuku.standins;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The development identity provider: mints API tokens signed with a symmetric key (HS256), as an
 * identity provider would issue them (claims {@code sub}, {@code org}, {@code scope}, {@code aud},
 * {@code iat}, {@code exp}), for the services' own tests (the local stack and the end-to-end tests
 * use the {@link LocalIdentityProvider}). In production an identity provider issues them,
 * and no service accepts these unless its key is set explicitly ({@code tsuzuku.security.jwt-secret}).
 * The services' own tests of their security check that they accept what this mints.
 */
public final class LocalTokens {

  /** The key of the services' tests, set explicitly there; no service falls back to it. */
  public static final String LOCAL_SECRET = "local-development-signing-key-change-me-0123456789";

  /** The scope of an administrator who reads contracts. */
  public static final String READ = "contracts:read";

  /** The scope of an administrator who also acts on them. */
  public static final String WRITE = "contracts:write";

  /** The operators' scope (every actuator endpoint but health); no administrator's token has it. */
  public static final String OPERATIONS = "operations";

  /** The claim that names the token's organisation. */
  public static final String ORGANISATION = "org";

  /** The audience the local stack's and the tests' services expect ({@code tsuzuku.security.audience}). */
  public static final String AUDIENCE = "tsuzuku";

  private LocalTokens() {}

  /** A token for an administrator of {@code orgId} who reads and acts, valid for {@code validity} from {@code now}. */
  public static String mint(String secret, String orgId, String subject, Instant now, Duration validity) {
    return mint(secret, orgId, subject, now, validity, READ + " " + WRITE);
  }

  /** A token with the given space-separated {@code scope}. */
  public static String mint(String secret, String orgId, String subject, Instant now, Duration validity, String scope) {
    return sign(secret, new JWTClaimsSet.Builder().claim(ORGANISATION, orgId), subject, now, validity, scope);
  }

  /** An operator's token: the {@code operations} scope and no organisation. */
  public static String mintOperator(String secret, String subject, Instant now, Duration validity) {
    return sign(secret, new JWTClaimsSet.Builder(), subject, now, validity, OPERATIONS);
  }

  private static String sign(String secret, JWTClaimsSet.Builder builder, String subject, Instant now, Duration validity, String scope) {
    var claims =
        builder
            .subject(subject)
            .claim("scope", scope)
            .audience(AUDIENCE)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(validity)))
            .build();
    var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign the token", e);
    }
    return jwt.serialize();
  }
}
