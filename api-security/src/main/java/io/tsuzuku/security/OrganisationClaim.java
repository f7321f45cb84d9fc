package io.tsuzuku.security;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A token acts for one organisation, named by its {@code org} claim. An API answers a request
 * for another organisation's data as if the data did not exist: nothing tells the caller it is
 * there.
 */
public final class OrganisationClaim {

  public static final String NAME = "org";

  private OrganisationClaim() {}

  /** Whether {@code token} may act for {@code orgId}. */
  public static boolean permits(Jwt token, String orgId) {
    return token != null && orgId.equals(token.getClaimAsString(NAME));
  }
}
