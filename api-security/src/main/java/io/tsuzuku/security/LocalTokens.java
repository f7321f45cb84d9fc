package io.tsuzuku.security;

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
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints API tokens signed with a symmetric key, for the local stack and tests. In production an
 * identity provider issues them, and no service accepts these unless its key is set explicitly.
 * From a shell:
 *
 * <pre>
 * java -cp status-service/target/status-service-0.1.0-SNAPSHOT.jar \
 *   -Dloader.main=io.tsuzuku.status.config.LocalTokens \
 *   org.springframework.boot.loader.launch.PropertiesLauncher org-1 admin@org-1
 * </pre>
 */
public final class LocalTokens {

  /** The key of the local stack and the tests, set explicitly there; no service falls back to it. */
  public static final String LOCAL_SECRET = "local-development-signing-key-change-me-0123456789";

  private LocalTokens() {}

  public static SecretKeySpec key(String secret) {
    var bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < 32) {
      throw new IllegalArgumentException("tsuzuku.security.jwt-secret must have at least 32 bytes for HS256");
    }
    return new SecretKeySpec(bytes, "HmacSHA256");
  }

  /** A token for an administrator of {@code orgId} who reads and acts, valid for {@code validity} from {@code now}. */
  public static String mint(String secret, String orgId, String subject, Instant now, Duration validity) {
    return mint(secret, orgId, subject, now, validity,
        BearerTokenSecurityAutoConfiguration.READ + " " + BearerTokenSecurityAutoConfiguration.WRITE);
  }

  /** A token with the given space-separated {@code scope}. */
  public static String mint(String secret, String orgId, String subject, Instant now, Duration validity, String scope) {
    var claims =
        new JWTClaimsSet.Builder()
            .subject(subject)
            .claim(OrganisationClaim.NAME, orgId)
            .claim("scope", scope)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(validity)))
            .build();
    var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(new MACSigner(key(secret).getEncoded()));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign the token", e);
    }
    return jwt.serialize();
  }

  public static void main(String[] args) {
    var orgId = args.length > 0 ? args[0] : "org-1";
    var subject = args.length > 1 ? args[1] : "admin@" + orgId;
    var secret = System.getenv().getOrDefault("TSUZUKU_JWT_SECRET", LOCAL_SECRET);
    System.out.println(mint(secret, orgId, subject, java.time.Clock.systemUTC().instant(), Duration.ofHours(12)));
  }
}
