package io.tsuzuku.status.adapter.in.web;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A token acts for one organisation, named by its {@code org} claim. A request for another
 * organisation's data is answered as if the data did not exist: nothing tells the caller it is
 * there.
 */
final class OrganisationAccess {

  static final String ORG_CLAIM = "org";

  private OrganisationAccess() {}

  static void require(Jwt token, String orgId) {
    if (token == null || !orgId.equals(token.getClaimAsString(ORG_CLAIM))) {
      throw new ContractNotFoundException(null);
    }
  }
}
