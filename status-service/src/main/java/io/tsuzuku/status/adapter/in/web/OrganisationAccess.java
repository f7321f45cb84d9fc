package io.tsuzuku.status.adapter.in.web;

import io.tsuzuku.security.OrganisationClaim;
import org.springframework.security.oauth2.jwt.Jwt;

/** Another organisation's contract is answered like an unknown one ({@link OrganisationClaim}). */
final class OrganisationAccess {

  private OrganisationAccess() {}

  static void require(Jwt token, String orgId) {
    if (!OrganisationClaim.permits(token, orgId)) {
      throw new ContractNotFoundException(null);
    }
  }
}
