package io.tsuzuku.crmsync.adapter.out.salesforce;

import io.tsuzuku.crmsync.application.LoginUrlPolicy;
import io.tsuzuku.crmsync.application.Organisation;
import io.tsuzuku.crmsync.application.port.OrganisationStore;
import io.tsuzuku.crmsync.application.port.SalesforceClient;
import io.tsuzuku.crmsync.application.port.SalesforceSessions;
import io.tsuzuku.crmsync.domain.ApiUsage;
import io.tsuzuku.crmsync.domain.ConnectionCheck;
import io.tsuzuku.crmsync.domain.RecordResult;
import io.tsuzuku.crmsync.domain.Rejection;
import io.tsuzuku.crmsync.domain.UpsertOutcome;
import io.tsuzuku.kit.Traces;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.web.reactive.function.OAuth2BodyExtractors;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientException;

/**
 * Salesforce's REST API, updating the records the org already holds and never creating one: per
 * batch, one SOQL query finds the records by external id ({@code SELECT Id, <externalIdField>
 * FROM <object> WHERE <externalIdField> IN (…)}), and one sObject Collections update ({@code PATCH
 * /services/data/vXX.X/composite/sobjects}, {@code allOrNone=false}) writes the found ones by
 * record id. A contract the org holds no record for is rejected as {@link
 * Rejection#NOT_IN_SALESFORCE}: an upsert would create a record with only the status, which an
 * object with required fields (NPSP's recurring donation, a custom object's Name) refuses, or
 * worse, keeps. docs/salesforce-mapping.md, "How records are written".
 *
 * <p>Each organisation logs in with the OAuth 2.0 client credentials flow on its My Domain
 * through Spring Security's OAuth2 client, and calls the REST API at the {@code instance_url} of
 * the token answer; both URLs must pass the {@link LoginUrlPolicy}, checked at every call, so
 * settings stored before a policy change are checked too. The token is cached until Salesforce
 * refuses it. Salesforce's token answer has no {@code expires_in} (a session lasts as the org's
 * session settings say); Spring would take such a token for expired at once, so the answer is
 * given {@code tokenLifetime}, and a 401 before then drops the token and the batch is tried once
 * more with a new one.
 *
 * <p>A request Salesforce refuses as a whole with a 4xx other than 401, 403
 * REQUEST_LIMIT_EXCEEDED, 408 and 429 is {@link UpsertOutcome.Misconfigured}: the settings name a
 * field or object the org lacks, and no retry fixes that.
 */
public final class SalesforceRestClient implements SalesforceClient, SalesforceSessions {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SalesforceRestClient.class);
  private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

  /** The principal tokens are cached under, outside any web request. */
  private static final String SERVICE_PRINCIPAL = "tsuzuku-crm-sync";

  /** How a refused login's outcome begins. */
  private static final String LOGIN_REFUSED = "login refused: ";

  /** The longest query URL sent: Salesforce refuses URIs over 16,384 characters. */
  private static final int MAX_QUERY_URL = 12_000;

  private final InMemoryReactiveOAuth2AuthorizedClientService tokens;
  private final AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager manager;
  /** The {@code instance_url} each access token was issued with. */
  private final Map<String, String> instances = new ConcurrentHashMap<>();
  /** Every call, the login too, connects only to public addresses (checked as it connects). */
  private final WebClient webClient = WebClient.builder()
      .clientConnector(new org.springframework.http.client.reactive.ReactorClientHttpConnector(
          reactor.netty.http.client.HttpClient.create().resolver(new PublicAddressResolver())))
      .build();
  private final LoginUrlPolicy urls;
  private final String apiVersion;
  private final Duration timeout;
  private final ObservationRegistry observations;

  public SalesforceRestClient(OrganisationStore organisations, LoginUrlPolicy urls, String apiVersion, Duration timeout,
      Duration tokenLifetime, ObservationRegistry observations) {
    this.urls = urls;
    this.observations = observations;
    var registrations = new OrganisationRegistrations(organisations);
    this.tokens = new InMemoryReactiveOAuth2AuthorizedClientService(registrations);
    var tokenClient = new WebClientReactiveClientCredentialsTokenResponseClient();
    tokenClient.setWebClient(webClient);
    var extractor = OAuth2BodyExtractors.oauth2AccessTokenResponse();
    tokenClient.setBodyExtractor((message, context) -> extractor.extract(message, context).map(r -> received(r, tokenLifetime)));
    this.manager = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(registrations, tokens);
    manager.setAuthorizedClientProvider(
        ReactiveOAuth2AuthorizedClientProviderBuilder.builder()
            .clientCredentials(grant -> grant.accessTokenResponseClient(tokenClient))
            .build());
    this.apiVersion = apiVersion;
    this.timeout = timeout;
  }

  /**
   * Each record's write is observed in the trace it came in ({@code tsuzuku.salesforce.write}, a
   * span "salesforce upsert" per record over the calls), so a contract's Salesforce write belongs
   * to the trace of its failure, retries and charges.
   */
  @Override
  public UpsertOutcome upsert(Organisation organisation, List<OutgoingRecord> records) {
    var observed = records.stream()
        .map(r -> Traces.observation(observations, "tsuzuku.salesforce.write", "salesforce upsert", r.traceParent())
            .highCardinalityKeyValue("tsuzuku.contract.id", r.contractId())
            .start())
        .toList();
    var outcome = onceMoreAfter401(() -> write(organisation, records));
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

  /** Drops the organisation's token, and the instance URL it was issued with. */
  @Override
  public void forget(String orgId) {
    var client = tokens.loadAuthorizedClient(orgId, SERVICE_PRINCIPAL).block(timeout);
    if (client != null) {
      instances.remove(client.getAccessToken().getTokenValue());
    }
    tokens.removeAuthorizedClient(orgId, SERVICE_PRINCIPAL).block(timeout);
  }

  /**
   * Logs in as a sync call does and reads one record of the mapped object with every field the
   * mapping writes: a field or object the org lacks, or that the integration user may not read, is
   * refused as a sync call would be, before any record is written. Edit access is not tried (that
   * would write): a field the user may read but not edit shows at the first write, as a refused
   * record with Salesforce's code.
   */
  @Override
  public ConnectionCheck check(Organisation organisation) {
    var mapping = organisation.mapping();
    var fields = new LinkedHashSet<String>(List.of("Id", mapping.externalIdField()));
    fields.addAll(mapping.writtenFields());
    var soql = "SELECT " + String.join(", ", fields) + " FROM " + mapping.objectApiName() + " LIMIT 1";
    var outcome = onceMoreAfter401(() -> inSession(organisation, session -> new UpsertOutcome.Completed(List.of(),
        call(session, HttpMethod.GET, "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8), null).usage())));
    if (outcome instanceof UpsertOutcome.Unavailable unavailable && unavailable.detail().startsWith(LOGIN_REFUSED)) {
      return new ConnectionCheck(ConnectionCheck.LOGIN_REFUSED, unavailable.detail(), null);
    }
    return ConnectionCheck.of(outcome);
  }

  /** {@code attempt}, and once more with a new token when Salesforce refused the cached one (401). */
  private static UpsertOutcome onceMoreAfter401(Supplier<Optional<UpsertOutcome>> attempt) {
    return attempt.get().or(attempt)
        .orElseGet(() -> new UpsertOutcome.Unavailable("401: Salesforce refused a fresh token; check the connected app's policies"));
  }

  /** @return empty on a 401 (the token is dropped) */
  private Optional<UpsertOutcome> write(Organisation organisation, List<OutgoingRecord> records) {
    return inSession(organisation, session -> {
      var found = find(session, organisation, records);
      var results = new ArrayList<RecordResult>();
      var update = new ArrayList<Map<String, Object>>();
      var mapping = organisation.mapping();
      for (var record : records) {
        var id = found.ids().get(record.contractId());
        if (id == null) {
          results.add(RecordResult.rejected(Rejection.NOT_IN_SALESFORCE,
              "No " + mapping.objectApiName() + " record has " + mapping.externalIdField() + " = " + record.contractId()));
        } else {
          results.add(null); // the update's answer, in order
          var fields = new LinkedHashMap<String, Object>();
          fields.put("attributes", Map.of("type", mapping.objectApiName()));
          fields.put("id", id);
          fields.putAll(record.fields());
          update.add(fields);
        }
      }
      var usage = found.usage();
      if (!update.isEmpty()) {
        var reply = call(session, HttpMethod.PATCH, "/composite/sobjects", Map.of("allOrNone", false, "records", update));
        var saves = saveResults(reply.body());
        if (saves.size() != update.size()) {
          return new UpsertOutcome.Completed(saves, reply.usage()); // the sync refuses a count that does not match
        }
        var next = saves.iterator();
        results.replaceAll(result -> result == null ? next.next() : result);
        usage = reply.usage() != null ? reply.usage() : usage;
      }
      return new UpsertOutcome.Completed(results, usage);
    });
  }

  /**
   * Runs {@code work} with the organisation's session: its login URL checked, logged in, the
   * token's instance URL checked; what Salesforce refuses becomes the outcome.
   *
   * @return empty on a 401 (the token is dropped)
   */
  private Optional<UpsertOutcome> inSession(Organisation organisation, Function<Session, UpsertOutcome> work) {
    var loginRefused = urls.refusal(organisation.connection().loginUrl());
    if (loginRefused.isPresent()) {
      return Optional.of(new UpsertOutcome.Misconfigured("LOGIN_URL_REFUSED", loginRefused.get()));
    }
    Session session;
    try {
      session = login(organisation);
    } catch (OAuth2AuthorizationException e) {
      return Optional.of(new UpsertOutcome.Unavailable(LOGIN_REFUSED + e.getError().getErrorCode() + " " + e.getMessage()));
    } catch (RuntimeException e) {
      return Optional.of(failed(organisation, e));
    }
    if (session.instanceUrl() == null || urls.refusal(session.instanceUrl()).isPresent()) {
      forget(organisation.orgId());
      return Optional.of(new UpsertOutcome.Misconfigured("INSTANCE_URL_REFUSED",
          "Salesforce's token answer named instance_url " + session.instanceUrl() + ", which is not the org's My Domain"));
    }
    try {
      return Optional.of(work.apply(session));
    } catch (Refused refused) {
      if (refused.status == 401) {
        forget(organisation.orgId());
        return Optional.empty();
      }
      return Optional.of(refused.outcome());
    } catch (RuntimeException e) {
      return Optional.of(failed(organisation, e));
    }
  }

  /**
   * What a call that got no answer means for the organisation, in words of its own: the client's
   * text (addresses, the network's errors) is for the operators' log, not for the tenant.
   */
  private UpsertOutcome failed(Organisation organisation, RuntimeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof PublicAddressResolver.NotPublic notPublic) {
        log.warn("Salesforce of {}: {} resolves to an address that is not public; refused", organisation.orgId(), notPublic.host);
        return new UpsertOutcome.Misconfigured("LOGIN_HOST_NOT_PUBLIC", notPublic.host
            + " resolves to an address that is not public (loopback, private or link-local): only the org's My Domain is called");
      }
    }
    if (e.getCause() instanceof TimeoutException) {
      return new UpsertOutcome.Unavailable("no answer within " + timeout);
    }
    if (e instanceof WebClientException) {
      log.warn("Salesforce of {} unreachable: {}", organisation.orgId(), e.getMessage());
      return new UpsertOutcome.Unavailable("unreachable: no connection to the org (its address did not answer or its name did not resolve)");
    }
    return new UpsertOutcome.Unavailable("an answer that is not Salesforce's: " + e.getClass().getSimpleName());
  }

  /** An access token and the instance URL it was issued for. */
  private record Session(String accessToken, String instanceUrl) {}

  private Session login(Organisation organisation) {
    var request = OAuth2AuthorizeRequest.withClientRegistrationId(organisation.orgId()).principal(SERVICE_PRINCIPAL).build();
    var client = manager.authorize(request).timeout(timeout).block();
    if (client == null) {
      throw new IllegalStateException("the organisation's settings are gone");
    }
    var token = client.getAccessToken().getTokenValue();
    return new Session(token, instances.get(token));
  }

  /** The record ids of the contracts the org holds, and the API usage its last answer reported. */
  private record Found(Map<String, String> ids, ApiUsage usage) {}

  private Found find(Session session, Organisation organisation, List<OutgoingRecord> records) {
    var mapping = organisation.mapping();
    var select = "SELECT Id, " + mapping.externalIdField() + " FROM " + mapping.objectApiName() + " WHERE " + mapping.externalIdField() + " IN (";
    var ids = new HashMap<String, String>();
    ApiUsage usage = null;
    for (var values : quotedInChunks(records)) {
      var soql = select + String.join(",", values) + ")";
      var reply = call(session, HttpMethod.GET, "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8), null);
      for (var row : JSON.readTree(reply.body()).path("records")) {
        ids.put(row.path(mapping.externalIdField()).asString(), row.path("Id").asString());
      }
      usage = reply.usage() != null ? reply.usage() : usage;
    }
    return new Found(ids, usage);
  }

  /** The contract ids as SOQL literals, in lists whose encoded query stays under {@link #MAX_QUERY_URL}. */
  private static List<List<String>> quotedInChunks(List<OutgoingRecord> records) {
    var chunks = new ArrayList<List<String>>();
    var chunk = new ArrayList<String>();
    var length = 0;
    for (var record : records) {
      var value = "'" + soqlEscape(record.contractId()) + "'";
      var encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).length() + 3; // and the comma, encoded
      if (!chunk.isEmpty() && length + encoded > MAX_QUERY_URL) {
        chunks.add(chunk);
        chunk = new ArrayList<>();
        length = 0;
      }
      chunk.add(value);
      length += encoded;
    }
    if (!chunk.isEmpty()) {
      chunks.add(chunk);
    }
    return chunks;
  }

  /** A string literal's content in SOQL: backslash and quote escaped. */
  static String soqlEscape(String value) {
    return value.replace("\\", "\\\\").replace("'", "\\'");
  }

  private record Reply(String body, ApiUsage usage) {}

  /** Salesforce refused a call: the status and what it said. */
  private static final class Refused extends RuntimeException {
    final int status;
    final String body;

    Refused(int status, String body) {
      super(status + ": " + salesforceError(body), null, false, false);
      this.status = status;
      this.body = body;
    }

    UpsertOutcome outcome() {
      var error = salesforceError(body);
      if (status == 403 && error.startsWith("REQUEST_LIMIT_EXCEEDED")) {
        return new UpsertOutcome.RequestLimitExceeded(error.substring("REQUEST_LIMIT_EXCEEDED".length()).trim());
      }
      if (status >= 400 && status < 500 && status != 408 && status != 429) {
        var space = error.indexOf(' ');
        var code = error.startsWith("not a Salesforce") || space < 0 ? "HTTP_" + status : error.substring(0, space);
        return new UpsertOutcome.Misconfigured(code, status + ": " + error + fieldsOf(body));
      }
      return new UpsertOutcome.Unavailable(status + ": " + error);
    }
  }

  private Reply call(Session session, HttpMethod method, String path, Object body) {
    var uri = URI.create(session.instanceUrl() + "/services/data/" + apiVersion + path);
    var request = webClient.method(method).uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + session.accessToken());
    var exchange = (body == null ? request : request.bodyValue(body)).exchangeToMono(response -> response.bodyToMono(String.class)
        .defaultIfEmpty("")
        .map(text -> {
          if (!response.statusCode().is2xxSuccessful()) {
            throw new Refused(response.statusCode().value(), text);
          }
          var usage = ApiUsage.parse(response.headers().asHttpHeaders().getFirst("Sforce-Limit-Info")).orElse(null);
          return new Reply(text, usage);
        }));
    return exchange.timeout(timeout).block();
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

  /** The fields a Salesforce error answer names, as " (fields: A, B)"; empty when it names none. */
  private static String fieldsOf(String body) {
    try {
      var node = JSON.readTree(body);
      var first = node.isArray() && !node.isEmpty() ? node.get(0) : node;
      var names = new ArrayList<String>();
      first.path("fields").forEach(field -> {
        if (field.asString("").matches("[A-Za-z0-9_.]{1,120}")) {
          names.add(field.asString());
        }
      });
      return names.isEmpty() ? "" : " (fields: " + String.join(", ", names) + ")";
    } catch (RuntimeException notJson) {
      return "";
    }
  }

  private static List<RecordResult> saveResults(String body) {
    var results = new ArrayList<RecordResult>();
    for (var answer : JSON.readTree(body)) {
      if (answer.path("success").asBoolean(false)) {
        results.add(RecordResult.SAVED);
      } else {
        var first = answer.path("errors").path(0);
        results.add(RecordResult.rejected(first.path("statusCode").asString("UNKNOWN"), first.path("message").asString("")));
      }
    }
    return results;
  }

  /** Keeps the token's instance URL, and gives the token a lifetime where Salesforce told none. */
  private OAuth2AccessTokenResponse received(OAuth2AccessTokenResponse response, Duration lifetime) {
    var token = response.getAccessToken();
    var instanceUrl = response.getAdditionalParameters().get("instance_url");
    if (instanceUrl instanceof String url) {
      instances.put(token.getTokenValue(), url);
    }
    var told = token.getExpiresAt() != null && token.getIssuedAt() != null
        && Duration.between(token.getIssuedAt(), token.getExpiresAt()).compareTo(Duration.ofSeconds(1)) > 0;
    return told ? response : OAuth2AccessTokenResponse.withResponse(response).expiresIn(lifetime.toSeconds()).build();
  }
}
