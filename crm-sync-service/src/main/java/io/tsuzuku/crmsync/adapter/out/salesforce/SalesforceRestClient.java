package io.tsuzuku.crmsync.adapter.out.salesforce;

import static org.springframework.security.oauth2.client.web.reactive.function.client.ServerOAuth2AuthorizedClientExchangeFilterFunction.clientRegistrationId;

import io.tsuzuku.crmsync.application.Organisation;
import io.tsuzuku.crmsync.application.port.OrganisationStore;
import io.tsuzuku.crmsync.application.port.SalesforceClient;
import io.tsuzuku.crmsync.application.port.SalesforceSessions;
import io.tsuzuku.crmsync.domain.ApiUsage;
import io.tsuzuku.crmsync.domain.RecordResult;
import io.tsuzuku.crmsync.domain.UpsertOutcome;
import io.tsuzuku.kit.Traces;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.RemoveAuthorizedClientReactiveOAuth2AuthorizationFailureHandler;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.web.reactive.function.client.ServerOAuth2AuthorizedClientExchangeFilterFunction;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.web.reactive.function.OAuth2BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientException;
import reactor.core.publisher.Mono;

/**
 * Salesforce's REST API: one sObject Collections upsert by external id per batch
 * ({@code PATCH /services/data/vXX.X/composite/sobjects/{object}/{externalIdField}},
 * {@code allOrNone=false}), each organisation logged in with the OAuth 2.0 client credentials
 * flow through Spring Security's OAuth2 client, its token cached until Salesforce refuses it.
 *
 * <p>Salesforce's token response has no {@code expires_in} (a session lasts as the org's session
 * settings say); Spring would take such a token for expired at once and log in before every
 * call, so the response is given {@code tokenLifetime}, and a 401 before then drops the token
 * (the filter's failure handler) and this client tries once more with a new one.
 */
public final class SalesforceRestClient implements SalesforceClient, SalesforceSessions {

  private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

  /** The principal the filter acts as outside a web request; tokens are cached per organisation under it. */
  private static final String SERVICE_PRINCIPAL = "anonymousUser";
  private static final ParameterizedTypeReference<List<Map<String, Object>>> RESULTS = new ParameterizedTypeReference<>() {};

  private final InMemoryReactiveOAuth2AuthorizedClientService tokens;
  private final WebClient webClient;
  private final String apiVersion;
  private final Duration timeout;
  private final ObservationRegistry observations;

  public SalesforceRestClient(OrganisationStore organisations, String apiVersion, Duration timeout, Duration tokenLifetime,
      ObservationRegistry observations) {
    this.observations = observations;
    var registrations = new OrganisationRegistrations(organisations);
    this.tokens = new InMemoryReactiveOAuth2AuthorizedClientService(registrations);
    var tokenClient = new WebClientReactiveClientCredentialsTokenResponseClient();
    var extractor = OAuth2BodyExtractors.oauth2AccessTokenResponse();
    tokenClient.setBodyExtractor((message, context) -> extractor.extract(message, context).map(r -> withLifetime(r, tokenLifetime)));
    var manager = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(registrations, tokens);
    manager.setAuthorizedClientProvider(
        ReactiveOAuth2AuthorizedClientProviderBuilder.builder()
            .clientCredentials(grant -> grant.accessTokenResponseClient(tokenClient))
            .build());
    var oauth = new ServerOAuth2AuthorizedClientExchangeFilterFunction(manager);
    oauth.setAuthorizationFailureHandler(
        new RemoveAuthorizedClientReactiveOAuth2AuthorizationFailureHandler(
            (registrationId, principal, attributes) -> tokens.removeAuthorizedClient(registrationId, principal.getName())));
    this.webClient = WebClient.builder().filter(oauth).build();
    this.apiVersion = apiVersion;
    this.timeout = timeout;
  }

  /**
   * Each record's write is observed in the trace it came in ({@code tsuzuku.salesforce.write}, a
   * span "salesforce upsert" per record over the one call), so a contract's Salesforce write
   * belongs to the trace of its failure, retries and charges.
   */
  @Override
  public UpsertOutcome upsert(Organisation organisation, List<OutgoingRecord> records) {
    var observed = records.stream()
        .map(r -> Traces.observation(observations, "tsuzuku.salesforce.write", "salesforce upsert", r.traceParent())
            .highCardinalityKeyValue("tsuzuku.contract.id", r.contractId())
            .start())
        .toList();
    var outcome = call(organisation, records)
        // 401: with a new token, once; the filter's failure handler dropped the refused one
        .or(() -> call(organisation, records))
        .orElseGet(() -> new UpsertOutcome.Unavailable("401: Salesforce refused a fresh token; check the connected app's policies"));
    for (int i = 0; i < observed.size(); i++) {
      var failure = failure(outcome, i);
      if (failure != null) {
        observed.get(i).error(new IllegalStateException(failure));
      }
      observed.get(i).stop();
    }
    return outcome;
  }

  /** Why record {@code i} was not written; null when it was. */
  private static String failure(UpsertOutcome outcome, int i) {
    if (outcome instanceof UpsertOutcome.Completed completed) {
      var result = i < completed.results().size() ? completed.results().get(i) : null;
      return result == null ? "no result" : result.success() ? null : result.rejection().code();
    }
    return outcome.toString();
  }

  @Override
  public void forget(String orgId) {
    tokens.removeAuthorizedClient(orgId, SERVICE_PRINCIPAL).block(timeout);
  }

  /** @return empty on a 401 */
  private Optional<UpsertOutcome> call(Organisation organisation, List<OutgoingRecord> records) {
    var mapping = organisation.mapping();
    var uri = organisation.connection().loginUrl() + "/services/data/" + apiVersion + "/composite/sobjects/"
        + mapping.objectApiName() + "/" + mapping.externalIdField();
    var body = new LinkedHashMap<String, Object>();
    body.put("allOrNone", false);
    body.put("records", records.stream().map(r -> {
      var record = new LinkedHashMap<String, Object>();
      record.put("attributes", Map.of("type", mapping.objectApiName()));
      record.put(mapping.externalIdField(), r.contractId());
      record.putAll(r.fields());
      return record;
    }).toList());
    return webClient.patch()
        .uri(uri)
        .attributes(clientRegistrationId(organisation.orgId()))
        .bodyValue(body)
        .exchangeToMono(SalesforceRestClient::outcome)
        .defaultIfEmpty(Optional.of(new UpsertOutcome.Unavailable("an empty answer")))
        .timeout(timeout)
        .onErrorResume(TimeoutException.class, e -> unavailable("no answer within " + timeout))
        .onErrorResume(WebClientException.class, e -> unavailable("unreachable: " + e.getMessage()))
        .onErrorResume(OAuth2AuthorizationException.class, e -> unavailable("login refused: " + e.getError().getErrorCode() + " " + e.getMessage()))
        .block();
  }

  private static Mono<Optional<UpsertOutcome>> unavailable(String detail) {
    return Mono.just(Optional.of(new UpsertOutcome.Unavailable(detail)));
  }

  private static Mono<Optional<UpsertOutcome>> outcome(ClientResponse response) {
    var status = response.statusCode();
    if (status.is2xxSuccessful()) {
      var usage = ApiUsage.parse(response.headers().asHttpHeaders().getFirst("Sforce-Limit-Info")).orElse(null);
      return response.bodyToMono(RESULTS).map(results -> Optional.of(new UpsertOutcome.Completed(results(results), usage)));
    }
    if (status.value() == HttpStatus.UNAUTHORIZED.value()) {
      return response.releaseBody().thenReturn(Optional.empty());
    }
    return response.bodyToMono(String.class).defaultIfEmpty("").map(text -> {
      var error = salesforceError(text);
      UpsertOutcome outcome = status.value() == HttpStatus.FORBIDDEN.value() && error.startsWith("REQUEST_LIMIT_EXCEEDED")
          ? new UpsertOutcome.RequestLimitExceeded(error.substring("REQUEST_LIMIT_EXCEEDED".length()).trim())
          : new UpsertOutcome.Unavailable(status.value() + ": " + error);
      return Optional.of(outcome);
    });
  }

  /**
   * Salesforce's own error code and message from an error answer ({@code [{"errorCode": …,
   * "message": …}]}); anything else (a proxy's page, a foreign body) is never kept, only said to
   * be there.
   */
  static String salesforceError(String body) {
    try {
      var node = JSON.readTree(body);
      var first = node.isArray() && !node.isEmpty() ? node.get(0) : node;
      var code = first.path("errorCode").asString("");
      if (!code.matches("[A-Z_]{1,80}")) {
        return "not a Salesforce error answer";
      }
      var message = first.path("message").asString("");
      return code + " " + (message.length() > 200 ? message.substring(0, 200) : message);
    } catch (RuntimeException notJson) {
      return "not a Salesforce error answer";
    }
  }

  @SuppressWarnings("unchecked")
  private static List<RecordResult> results(List<Map<String, Object>> answers) {
    var results = new ArrayList<RecordResult>();
    for (var answer : answers) {
      if (Boolean.TRUE.equals(answer.get("success"))) {
        results.add(RecordResult.SAVED);
      } else {
        var errors = (List<Map<String, Object>>) answer.getOrDefault("errors", List.of());
        var first = errors.isEmpty() ? Map.<String, Object>of() : errors.get(0);
        results.add(RecordResult.rejected(
            String.valueOf(first.getOrDefault("statusCode", "UNKNOWN")), String.valueOf(first.getOrDefault("message", ""))));
      }
    }
    return results;
  }

  private static OAuth2AccessTokenResponse withLifetime(OAuth2AccessTokenResponse response, Duration lifetime) {
    var token = response.getAccessToken();
    var told = token.getExpiresAt() != null && token.getIssuedAt() != null
        && Duration.between(token.getIssuedAt(), token.getExpiresAt()).compareTo(Duration.ofSeconds(1)) > 0;
    return told ? response : OAuth2AccessTokenResponse.withResponse(response).expiresIn(lifetime.toSeconds()).build();
  }
}
