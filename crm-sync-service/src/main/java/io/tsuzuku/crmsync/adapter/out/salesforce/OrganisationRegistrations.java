package io.tsuzuku.crmsync.adapter.out.salesforce;

import io.tsuzuku.crmsync.application.port.OrganisationStore;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Each organisation is an OAuth 2.0 client registration of its own, read from its settings: the
 * client credentials flow against its My Domain's token endpoint, with the connected app's key
 * and secret in the request body, as Salesforce expects.
 */
final class OrganisationRegistrations implements ReactiveClientRegistrationRepository {

  private final OrganisationStore organisations;

  OrganisationRegistrations(OrganisationStore organisations) {
    this.organisations = organisations;
  }

  @Override
  public Mono<ClientRegistration> findByRegistrationId(String orgId) {
    return Mono.fromCallable(() -> organisations.find(orgId))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(Mono::justOrEmpty)
        .map(organisation -> ClientRegistration.withRegistrationId(orgId)
            .clientId(organisation.connection().clientId())
            .clientSecret(organisation.connection().clientSecret())
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .tokenUri(organisation.connection().loginUrl() + "/services/oauth2/token")
            .build());
  }
}
