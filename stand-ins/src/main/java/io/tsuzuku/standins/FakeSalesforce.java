package io.tsuzuku.standins;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Json;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Salesforce org on WireMock that behaves like one: the client credentials token endpoint, and
 * the sObject Collections upsert by external id, which checks the bearer token, answers per
 * record, rejects status values its restricted picklist lacks, reports {@code Sforce-Limit-Info},
 * and keeps every record it saved, in order, per external id; its address answers a read-only
 * page of the records it holds, each with its fields' last values. Tests can make it fail as a
 * whole ({@link #failWith}) or expire its tokens. The crm-sync tests, the end-to-end tests and the
 * local stack (where it stands in for the demo organisation's org) use it.
 */
public final class FakeSalesforce implements AutoCloseable {

  public static final String CLIENT_ID = "tsuzuku-connected-app";
  public static final String CLIENT_SECRET = "connected-app-secret";
  private static final String UPSERTS = "/services/data/v[0-9.]+/composite/sobjects/.*";

  private final WireMockServer server;
  private final Map<String, List<Map<String, Object>>> saved = new ConcurrentHashMap<>();
  private final List<List<String>> completedCalls = new CopyOnWriteArrayList<>();
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final AtomicInteger apiCalls = new AtomicInteger();
  private volatile String currentToken = "none";
  private volatile String statusField = "Status__c";
  private volatile Set<String> picklist;
  private volatile long dailyLimit = 15_000;
  private volatile StubMapping failure;
  /** Salesforce's own clock, which stamps its token answers; not the business clock a test moves. */
  private final Clock clock = Clock.systemUTC();

  private FakeSalesforce(int port) {
    server = new WireMockServer((port == 0 ? options().dynamicPort() : options().port(port)).extensions(new Org()));
    server.start();
    server.stubFor(post(urlPathEqualTo("/services/oauth2/token")).willReturn(aResponse().withTransformers(Org.NAME)));
    server.stubFor(patch(urlPathMatching(UPSERTS)).willReturn(aResponse().withTransformers(Org.NAME)));
    server.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withTransformers(Org.NAME)));
  }

  public static FakeSalesforce start() {
    return new FakeSalesforce(0);
  }

  /** On a fixed port: an organisation's settings keep its URL across restarts of the local stack. */
  public static FakeSalesforce start(int port) {
    return new FakeSalesforce(port);
  }

  /** The org's My Domain URL, on the loopback address (as every address the local stack prints). */
  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /** The status field and the values its restricted picklist accepts (null: any value). */
  public void restrictPicklist(String field, Set<String> values) {
    statusField = field;
    picklist = values;
  }

  /** The org's daily API limit and the calls used today; with every call used, upserts answer 403 REQUEST_LIMIT_EXCEEDED. */
  public void dailyLimit(long limit, int usedSoFar) {
    dailyLimit = limit;
    apiCalls.set(usedSoFar);
  }

  /** Every upsert is answered with {@code response} until {@link #recover()}. */
  public void failWith(ResponseDefinitionBuilder response) {
    recover();
    failure = server.stubFor(any(urlPathMatching(UPSERTS)).atPriority(1).willReturn(response));
  }

  public void recover() {
    var current = failure;
    if (current != null) {
      server.removeStub(current);
      failure = null;
    }
  }

  /** The org ends every session: the next call with an old token gets 401. */
  public void expireSessions() {
    currentToken = "expired-" + System.nanoTime();
  }

  public int upsertCalls() {
    return server.findAll(patchRequestedFor(urlPathMatching(UPSERTS))).size();
  }

  /**
   * Upsert calls the org answered per record that carried a record whose external id starts with
   * {@code prefix} (one organisation's). Counted as the org answers, so a test that saw a record
   * saved sees its call counted.
   */
  public long completedCallsFor(String prefix) {
    return completedCalls.stream().filter(ids -> ids.stream().anyMatch(id -> id.startsWith(prefix))).count();
  }

  /** The sizes of the upsert calls the org answered per record (not refused as a whole). */
  public List<Integer> completedBatchSizes() {
    return completedCalls.stream().map(List::size).toList();
  }

  public int tokensIssued() {
    return tokensIssued.get();
  }

  /** Every record saved for the external id, oldest first. */
  public List<Map<String, Object>> savedRecords(String externalId) {
    return saved.getOrDefault(externalId, List.of());
  }

  /** The record as the org shows it now: every field written, the last value of each. */
  public Map<String, Object> record(String externalId) {
    var record = new LinkedHashMap<String, Object>();
    savedRecords(externalId).forEach(record::putAll);
    return record;
  }

  public int recordCount() {
    return saved.size();
  }

  public long recordCountFor(String prefix) {
    return saved.keySet().stream().filter(id -> id.startsWith(prefix)).count();
  }

  public void reset() {
    recover();
    saved.clear();
    completedCalls.clear();
    tokensIssued.set(0);
    apiCalls.set(0);
    dailyLimit = 15_000;
    picklist = null;
    server.resetRequests();
  }

  @Override
  public void close() {
    server.stop();
  }

  /** The org's behaviour behind both endpoints. */
  private final class Org implements ResponseDefinitionTransformerV2 {
    static final String NAME = "salesforce-org";

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      var request = event.getRequest();
      if (request.getUrl().startsWith("/services/oauth2/token")) {
        return token(request.getBodyAsString());
      }
      return request.getUrl().startsWith("/services/") ? upsert(event) : page();
    }

    /** The records the org holds, as a person looks them up: external id, then each field's last value. */
    private ResponseDefinition page() {
      var html = new StringBuilder("<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
          + "<title>Salesforce stub org</title></head><body><h1>Salesforce stub org</h1><p>")
          .append(saved.size()).append(" records (read-only; written by the crm-sync-service through the REST API)</p>")
          .append("<table border=\"1\"><thead><tr><th>external id</th><th>fields (last values)</th><th>saves</th></tr></thead><tbody>");
      saved.keySet().stream().sorted().forEach(id -> html.append("<tr><td>").append(escape(id)).append("</td><td>")
          .append(escape(record(id).toString())).append("</td><td>").append(savedRecords(id).size()).append("</td></tr>"));
      html.append("</tbody></table></body></html>");
      return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "text/html;charset=UTF-8")
          .withBody(html.toString()).build();
    }

    private static String escape(String text) {
      return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private ResponseDefinition token(String form) {
      var parameters = new HashMap<String, String>();
      for (var pair : form.split("&")) {
        var parts = pair.split("=", 2);
        parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
      }
      if (!"client_credentials".equals(parameters.get("grant_type"))
          || !CLIENT_ID.equals(parameters.get("client_id")) || !CLIENT_SECRET.equals(parameters.get("client_secret"))) {
        return json(400, Map.of("error", "invalid_client", "error_description", "invalid client credentials"));
      }
      currentToken = "token-" + tokensIssued.incrementAndGet();
      // like Salesforce: no expires_in
      return json(200, Map.of("access_token", currentToken, "instance_url", url(), "token_type", "Bearer",
          "issued_at", String.valueOf(clock.millis()), "signature", "c2lnbmF0dXJl"));
    }

    @SuppressWarnings("unchecked")
    private ResponseDefinition upsert(ServeEvent event) {
      var request = event.getRequest();
      if (!("Bearer " + currentToken).equals(request.getHeader("Authorization"))) {
        return json(401, List.of(Map.of("message", "Session expired or invalid", "errorCode", "INVALID_SESSION_ID")));
      }
      if (apiCalls.get() >= dailyLimit) { // like Salesforce: once the day's calls are used up, every call is refused
        return json(403, List.of(Map.of("message", "TotalRequests Limit exceeded.", "errorCode", "REQUEST_LIMIT_EXCEEDED")));
      }
      var path = request.getUrl().split("\\?")[0].split("/");
      var externalIdField = path[path.length - 1];
      var body = Json.read(request.getBodyAsString(), Map.class);
      if (!Boolean.FALSE.equals(body.get("allOrNone"))) {
        return json(400, List.of(Map.of("message", "the test org expects allOrNone=false", "errorCode", "INVALID_INPUT")));
      }
      var records = (List<Map<String, Object>>) body.get("records");
      // counted before any record is saved: a test that sees a record saved sees its call
      completedCalls.add(records.stream().map(r -> String.valueOf(r.get(externalIdField))).toList());
      var results = new ArrayList<Map<String, Object>>();
      for (var record : records) {
        var value = record.get(statusField);
        var allowed = picklist;
        if (allowed != null && record.containsKey(statusField) && !allowed.contains(String.valueOf(value))) {
          results.add(Map.of("success", false, "errors", List.of(Map.of(
              "statusCode", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
              "message", statusField + ": bad value for restricted picklist field: " + value,
              "fields", List.of(statusField)))));
          continue;
        }
        var fields = new LinkedHashMap<>(record);
        fields.remove("attributes");
        var id = String.valueOf(fields.remove(externalIdField));
        var history = saved.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
        history.add(fields);
        results.add(Map.of("id", "a0B" + Math.abs(id.hashCode()), "success", true, "errors", List.of(), "created", history.size() == 1));
      }
      return new ResponseDefinitionBuilder()
          .withStatus(200)
          .withHeader("Content-Type", "application/json;charset=UTF-8")
          .withHeader("Sforce-Limit-Info", "api-usage=" + apiCalls.incrementAndGet() + "/" + dailyLimit)
          .withBody(Json.write(results))
          .build();
    }

    private ResponseDefinition json(int status, Object body) {
      return new ResponseDefinitionBuilder()
          .withStatus(status)
          .withHeader("Content-Type", "application/json;charset=UTF-8")
          .withBody(Json.write(body))
          .build();
    }
  }
}
