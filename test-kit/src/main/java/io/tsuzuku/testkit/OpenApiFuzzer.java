package io.tsuzuku.testkit;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Walks every operation of an API's OpenAPI description and sends it what a careless client or
 * an attacker would: malformed, missing, oversized and operator-shaped values in every path and
 * query parameter, garbage and oversized bodies, another organisation's ids. It reports every
 * answer of 500 or more; the caller checks that nothing changed.
 */
public final class OpenApiFuzzer {

  /** What a run sent, which requests the server failed on, and the slowest answers. */
  public record Report(int requests, List<String> serverErrors, List<String> slow) {}

  /** Values no parameter should turn into a 5xx. */
  public static final List<String> HOSTILE = List.of(
      "", " ", "x".repeat(5_000), "{\"$ne\":null}", "[$ne]", "$where", "../../etc/passwd", "-1", "0",
      "99999999999999999999", "1e309", "NaN", "2026-13-45", "P999999999Y", "PT-1S", "null", "true", "' OR 1=1 --",
      "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "日本語", "\uD83D\uDE00", "%", "%%%", "\\", "a/b", "a?b", "a#b");

  private static final List<String> BODIES = List.of(
      "", "null", "[]", "{", "\"text\"", "42", "{\"contractIds\":\"x\"}", "{\"contractIds\":[null]}",
      "{\"contractIds\":[{\"$ne\":null}]}", "{\"filter\":{\"status\":{\"$ne\":\"ACTIVE\"}}}", "{\"filter\":[]}",
      "{\"retryOn\":\"2026-13-45\",\"contractIds\":[\"x\"]}", "{\"mode\":\"$ne\"}", "{\"loginUrl\":{\"$gt\":\"\"}}",
      "[".repeat(5_000), "{\"contractIds\":[\"" + "x".repeat(10_000) + "\"]}");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }
  private final String baseUrl;
  private final String token;
  private int requests;
  private final List<String> serverErrors = new ArrayList<>();
  private final List<String> slow = new ArrayList<>();

  /** @param token a token that may act for the organisation whose values {@code run} is given */
  public OpenApiFuzzer(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /**
   * Fuzzes every operation of {@code description}.
   *
   * @param good a valid value per path parameter name (the organisation, a contract of it)
   * @param foreign another organisation's values for the same parameters
   */
  public Report run(String description, Map<String, String> good, Map<String, String> foreign) {
    var paths = JSON.readTree(description).path("paths");
    for (var path : paths.propertyNames()) {
      var operations = paths.get(path);
      for (var method : operations.propertyNames()) {
        var operation = operations.get(method);
        var parameters = parameters(operation, operations);
        var pathParameters = parameters.stream().filter(p -> "path".equals(p.path("in").asString(""))).map(p -> p.path("name").asString("")).toList();
        var queryParameters = parameters.stream().filter(p -> "query".equals(p.path("in").asString(""))).map(p -> p.path("name").asString("")).toList();
        var hasBody = !operation.path("requestBody").isMissingNode();
        for (var name : pathParameters) {
          for (var value : HOSTILE) {
            var values = new LinkedHashMap<>(good);
            values.put(name, value);
            send(method, expand(path, values, pathParameters), hasBody ? "{}" : null);
          }
        }
        send(method, expand(path, foreign, pathParameters), hasBody ? "{\"contractIds\":[\"x\"]}" : null);
        for (var name : queryParameters) {
          for (var value : HOSTILE) {
            send(method, expand(path, good, pathParameters) + "?" + encode(name) + "=" + encode(value), hasBody ? "{}" : null);
          }
          send(method, expand(path, good, pathParameters) + "?" + encode(name + "[$ne]") + "=x", hasBody ? "{}" : null);
          send(method, expand(path, good, pathParameters) + "?" + encode(name) + "=a&" + encode(name) + "=b", hasBody ? "{}" : null);
        }
        if (hasBody) {
          for (var body : BODIES) {
            send(method, expand(path, good, pathParameters), body);
          }
          // over the codec's 256 KB limit; larger bodies only churn the JVM's shared network buffers
          send(method, expand(path, good, pathParameters), "{\"reason\":\"" + "x".repeat(300 * 1024) + "\"}");
        }
      }
    }
    return new Report(requests, List.copyOf(serverErrors), List.copyOf(slow));
  }

  private static List<JsonNode> parameters(JsonNode operation, JsonNode pathItem) {
    var all = new ArrayList<JsonNode>();
    pathItem.path("parameters").forEach(all::add);
    operation.path("parameters").forEach(all::add);
    return all;
  }

  private String expand(String path, Map<String, String> values, List<String> names) {
    var expanded = path;
    for (var name : names) {
      expanded = expanded.replace("{" + name + "}", encode(values.getOrDefault(name, "x")));
    }
    return expanded;
  }

  private void send(String method, String pathAndQuery, String body) {
    requests++;
    URI uri;
    try {
      uri = URI.create(baseUrl + pathAndQuery);
    } catch (IllegalArgumentException notAUri) {
      return; // no client can send it
    }
    var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
        .method(method.toUpperCase(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    var started = System.nanoTime();
    try {
      // a connection of its own for each request: one the server closed after refusing a body is never reused
      var status = client().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      var millis = (System.nanoTime() - started) / 1_000_000;
      if (millis > 1_000) {
        slow.add(millis + " ms " + method.toUpperCase() + " " + abbreviated(pathAndQuery) + (body == null ? "" : " body " + abbreviated(body)));
      }
      if (status >= 500) {
        serverErrors.add(status + " " + method.toUpperCase() + " " + abbreviated(pathAndQuery)
            + (body == null ? "" : " body " + abbreviated(body)));
      }
    } catch (java.io.IOException e) {
      // a connection the server closed on an oversized request is a refusal, not a failure
      slow.add(((System.nanoTime() - started) / 1_000_000) + " ms, closed: " + method.toUpperCase() + " " + abbreviated(pathAndQuery));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String abbreviated(String text) {
    return text.length() > 120 ? text.substring(0, 120) + "…" : text;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
