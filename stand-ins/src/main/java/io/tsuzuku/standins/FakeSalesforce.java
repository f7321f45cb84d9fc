package io.tsuzuku.standins;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
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
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Salesforce org on WireMock that behaves like one, on two addresses as Salesforce's are: the
 * org's My Domain ({@link #url()}), where the client credentials flow logs in, and the instance
 * URL its token answer names ({@link #instanceUrl()}), the only one where the REST API answers.
 * The REST API checks the bearer token and reports {@code Sforce-Limit-Info}; a SOQL query by
 * external id finds records; the sObject Collections update by record id answers per record,
 * rejects status values its restricted picklist lacks and keeps every record it saved, in order,
 * per external id; the sObject Collections upsert by external id refuses to create a record (the
 * object has required fields the sync cannot fill, as NPSP's recurring donation and a custom
 * object's Name do). A field or object the org lacks fails the whole request with 400, as
 * Salesforce does. Each address answers a read-only page of the records the org holds.
 *
 * <p>The org holds a record for every contract by default: the platform that registers a contract
 * creates its record, the sync only updates it. {@link #holdOnly} makes it hold the listed ones
 * only. Tests can make it fail as a whole ({@link #failWith}) or expire its tokens. The crm-sync
 * tests, the end-to-end tests and the local stack (where it stands in for the demo organisation's
 * org) use it.
 */
public final class FakeSalesforce implements AutoCloseable {

  public static final String CLIENT_ID = "tsuzuku-connected-app";
  public static final String CLIENT_SECRET = "connected-app-secret";
  private static final String API = "/services/data/v[0-9.]+/";
  private static final String UPDATES = API + "composite/sobjects";
  private static final String UPSERTS = API + "composite/sobjects/.+";
  private static final Pattern QUERY = Pattern.compile(
      "SELECT Id, (\\w+) FROM (\\w+) WHERE (\\w+) IN \\((.*)\\)", Pattern.DOTALL);
  private static final Pattern QUOTED = Pattern.compile("'((?:[^'\\\\]|\\\\.)*)'");
  private static final Pattern ONE_RECORD = Pattern.compile("SELECT Id((?:, \\w+)*) FROM (\\w+) LIMIT 1");

  private final WireMockServer login;
  private final WireMockServer instance;
  private final Map<String, List<Map<String, Object>>> saved = new ConcurrentHashMap<>();
  /** Record id to external id, for the records the org holds. */
  private final Map<String, String> externalIds = new ConcurrentHashMap<>();
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final List<List<String>> completedCalls = new CopyOnWriteArrayList<>();
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final AtomicInteger apiCalls = new AtomicInteger();
  private volatile boolean holdsEveryContract = true;
  private volatile String currentToken = "none";
  private volatile String statusField = "Status__c";
  private volatile Set<String> picklist;
  private volatile Set<String> fields;
  private volatile long dailyLimit = 15_000;
  private volatile StubMapping failure;
  /** Salesforce's own clock, which stamps its token answers; not the business clock a test moves. */
  private final Clock clock = Clock.systemUTC();

  private FakeSalesforce(int port) {
    // the loopback address only: the stub holds an org's records and answers any login
    login = new WireMockServer((port == 0 ? options().dynamicPort() : options().port(port)).bindAddress("127.0.0.1").extensions(new Org()));
    login.start();
    login.stubFor(post(urlPathEqualTo("/services/oauth2/token")).willReturn(aResponse().withTransformers(Org.NAME)));
    login.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withTransformers(Org.NAME)));
    instance = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(new Org()));
    instance.start();
    instance.stubFor(get(urlPathMatching(API + "query/?")).willReturn(aResponse().withTransformers(Org.NAME)));
    instance.stubFor(patch(urlPathMatching(UPDATES + "(/.+)?")).willReturn(aResponse().withTransformers(Org.NAME)));
    instance.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withTransformers(Org.NAME)));
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
    return "http://127.0.0.1:" + login.port();
  }

  /** Where the org's REST API answers: the {@code instance_url} of its token answers, not the My Domain URL. */
  public String instanceUrl() {
    return "http://127.0.0.1:" + instance.port();
  }

  /** The status field and the values its restricted picklist accepts (null: any value). */
  public void restrictPicklist(String field, Set<String> values) {
    statusField = field;
    picklist = values;
  }

  /** The fields the object has (null: any); a request naming another fails as a whole with 400 INVALID_FIELD. */
  public void objectFields(Set<String> names) {
    fields = names;
  }

  /** From now on the org holds records for these external ids only (and those it holds already). */
  public void holdOnly(Set<String> externalIds) {
    holdsEveryContract = false;
    held.addAll(externalIds);
  }

  /** The org's daily API limit and the calls used today; with every call used, calls answer 403 REQUEST_LIMIT_EXCEEDED. */
  public void dailyLimit(long limit, int usedSoFar) {
    dailyLimit = limit;
    apiCalls.set(usedSoFar);
  }

  /** Every REST call is answered with {@code response} until {@link #recover()}. */
  public void failWith(ResponseDefinitionBuilder response) {
    recover();
    failure = instance.stubFor(any(urlPathMatching(API + ".*")).atPriority(1).willReturn(response));
  }

  public void recover() {
    var current = failure;
    if (current != null) {
      instance.removeStub(current);
      failure = null;
    }
  }

  /** The org ends every session: the next call with an old token gets 401. */
  public void expireSessions() {
    currentToken = "expired-" + System.nanoTime();
  }

  /** The calls that wrote records (updates by id, and upserts by external id). */
  public int upsertCalls() {
    return instance.findAll(patchRequestedFor(urlPathMatching(UPDATES + "(/.+)?"))).size();
  }

  /** Every REST call the org was sent (queries and writes). */
  public int apiCalls() {
    return instance.findAll(anyRequestedFor(urlPathMatching(API + ".*"))).size();
  }

  /**
   * Write calls the org answered per record that carried a record whose external id starts with
   * {@code prefix} (one organisation's). Counted as the org answers, so a test that saw a record
   * saved sees its call counted.
   */
  public long completedCallsFor(String prefix) {
    return completedCalls.stream().filter(ids -> ids.stream().anyMatch(id -> id.startsWith(prefix))).count();
  }

  /** The sizes of the write calls the org answered per record (not refused as a whole). */
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
    externalIds.clear();
    held.clear();
    holdsEveryContract = true;
    completedCalls.clear();
    tokensIssued.set(0);
    apiCalls.set(0);
    dailyLimit = 15_000;
    picklist = null;
    fields = null;
    login.resetRequests();
    instance.resetRequests();
  }

  @Override
  public void close() {
    login.stop();
    instance.stop();
  }

  private boolean holds(String externalId) {
    return holdsEveryContract || held.contains(externalId);
  }

  /** The record id Salesforce gives the record of {@code externalId}: 18 characters, stable. */
  private String recordId(String externalId) {
    var id = "a0B" + String.format("%015d", Math.floorMod((long) externalId.hashCode() * 31 + externalId.length(), 1_000_000_000_000_000L));
    externalIds.put(id, externalId);
    return id;
  }

  /** The org's behaviour behind every endpoint. */
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
      var path = request.getUrl().split("\\?")[0];
      if (path.startsWith("/services/oauth2/token")) {
        return token(request.getBodyAsString());
      }
      if (!path.startsWith("/services/")) {
        return page();
      }
      if (!("Bearer " + currentToken).equals(request.getHeader("Authorization"))) {
        return json(401, List.of(Map.of("message", "Session expired or invalid", "errorCode", "INVALID_SESSION_ID")));
      }
      if (apiCalls.get() >= dailyLimit) { // like Salesforce: once the day's calls are used up, every call is refused
        return json(403, List.of(Map.of("message", "TotalRequests Limit exceeded.", "errorCode", "REQUEST_LIMIT_EXCEEDED")));
      }
      var answer = path.contains("/query") ? query(request.queryParameter("q").firstValue())
          : path.matches(UPSERTS) ? upsert(path, request.getBodyAsString())
          : update(request.getBodyAsString());
      return answer.status() == 200
          ? new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "application/json;charset=UTF-8")
              .withHeader("Sforce-Limit-Info", "api-usage=" + apiCalls.incrementAndGet() + "/" + dailyLimit)
              .withBody(Json.write(answer.body())).build()
          : json(answer.status(), answer.body());
    }

    /** {@code SELECT Id, <external id> FROM <object> WHERE <external id> IN ('…', …)}: the records the org holds. */
    private Answer query(String soql) {
      var one = ONE_RECORD.matcher(soql);
      if (one.matches()) { // a connection check: the fields exist, and a record if there is one
        var unknown = unknownField(Stream.of(one.group(1).split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList());
        if (unknown != null) {
          return Answer.error(400, "INVALID_FIELD", "No such column '" + unknown + "' on entity '" + one.group(2) + "'.");
        }
        return new Answer(200, Map.of("totalSize", 0, "done", true, "records", List.of()));
      }
      var match = QUERY.matcher(soql);
      if (!match.matches() || !match.group(1).equals(match.group(3))) {
        return Answer.error(400, "MALFORMED_QUERY", "the stub org answers queries by external id only: " + soql);
      }
      var unknown = unknownField(List.of(match.group(1)));
      if (unknown != null) {
        return Answer.error(400, "INVALID_FIELD", "No such column '" + unknown + "' on entity '" + match.group(2) + "'.");
      }
      var records = new ArrayList<Map<String, Object>>();
      var values = QUOTED.matcher(match.group(4));
      while (values.find()) {
        var externalId = values.group(1).replace("\\'", "'").replace("\\\\", "\\");
        if (holds(externalId)) {
          records.add(Map.of("attributes", Map.of("type", match.group(2)), "Id", recordId(externalId), match.group(1), externalId));
        }
      }
      return new Answer(200, Map.of("totalSize", records.size(), "done", true, "records", records));
    }

    /** sObject Collections update: each record by its id, answered in order. */
    @SuppressWarnings("unchecked")
    private Answer update(String json) {
      var body = Json.read(json, Map.class);
      if (!Boolean.FALSE.equals(body.get("allOrNone"))) {
        return Answer.error(400, "INVALID_INPUT", "the test org expects allOrNone=false");
      }
      var records = (List<Map<String, Object>>) body.get("records");
      var unknown = unknownField(records.stream().flatMap(r -> r.keySet().stream()).filter(k -> !k.equals("attributes") && !k.equals("id")).toList());
      if (unknown != null) {
        return Answer.error(400, "INVALID_FIELD", "No such column '" + unknown + "' on sobject.");
      }
      // counted before any record is saved: a test that sees a record saved sees its call
      completedCalls.add(records.stream().map(r -> externalIds.getOrDefault(String.valueOf(r.get("id")), "?")).toList());
      var results = new ArrayList<Map<String, Object>>();
      for (var record : records) {
        var id = String.valueOf(record.get("id"));
        var externalId = externalIds.get(id);
        if (externalId == null) {
          results.add(failed("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", List.of()));
        } else {
          var fieldValues = new LinkedHashMap<>(record);
          fieldValues.remove("attributes");
          fieldValues.remove("id");
          results.add(save(id, externalId, fieldValues));
        }
      }
      return new Answer(200, results);
    }

    /** sObject Collections upsert by external id: it would create a record for an id the org lacks, which its required fields refuse. */
    @SuppressWarnings("unchecked")
    private Answer upsert(String path, String json) {
      var segments = path.split("/");
      var externalIdField = segments[segments.length - 1];
      var records = (List<Map<String, Object>>) Json.read(json, Map.class).get("records");
      completedCalls.add(records.stream().map(r -> String.valueOf(r.get(externalIdField))).toList());
      var results = new ArrayList<Map<String, Object>>();
      for (var record : records) {
        var fieldValues = new LinkedHashMap<>(record);
        fieldValues.remove("attributes");
        var externalId = String.valueOf(fieldValues.remove(externalIdField));
        results.add(holds(externalId) ? save(recordId(externalId), externalId, fieldValues)
            : failed("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", List.of("Name")));
      }
      return new Answer(200, results);
    }

    private Map<String, Object> save(String id, String externalId, Map<String, Object> fieldValues) {
      var value = fieldValues.get(statusField);
      var allowed = picklist;
      if (allowed != null && fieldValues.containsKey(statusField) && !allowed.contains(String.valueOf(value))) {
        return failed("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", statusField + ": bad value for restricted picklist field: " + value,
            List.of(statusField));
      }
      saved.computeIfAbsent(externalId, k -> new CopyOnWriteArrayList<>()).add(fieldValues);
      return Map.of("id", id, "success", true, "errors", List.of());
    }

    private Map<String, Object> failed(String code, String message, List<String> fieldNames) {
      return Map.of("success", false, "errors", List.of(Map.of("statusCode", code, "message", message, "fields", fieldNames)));
    }

    private String unknownField(List<String> names) {
      var known = fields;
      return known == null ? null : names.stream().filter(name -> !known.contains(name)).findFirst().orElse(null);
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
      return json(200, Map.of("access_token", currentToken, "instance_url", instanceUrl(), "token_type", "Bearer",
          "issued_at", String.valueOf(clock.millis()), "signature", "c2lnbmF0dXJl"));
    }

    private ResponseDefinition json(int status, Object body) {
      return new ResponseDefinitionBuilder()
          .withStatus(status)
          .withHeader("Content-Type", "application/json;charset=UTF-8")
          .withBody(Json.write(body))
          .build();
    }
  }

  /** A REST answer: its status and its JSON body. */
  private record Answer(int status, Object body) {
    static Answer error(int status, String code, String message) {
      return new Answer(status, List.of(Map.of("errorCode", code, "message", message)));
    }
  }
}
