package io.tsuzuku.billing.adapter.out.processor;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Stripe's API refuses before any stub answers, with the error Stripe answers: a request its
 * published OpenAPI description (stripe/openapi's spec3, fetched into {@code target/} by the build)
 * would refuse (an unknown URL, an unknown parameter, a required one missing, a value of the wrong
 * type), an off-session confirm that could need a redirect, and a PaymentMethod used a second time
 * without ever being attached to a customer. Every refusal is kept, so a test fails if the adapter
 * sent one it did not mean to.
 */
final class StripeApiCheck implements StubRequestFilterV2 {

  /** A request Stripe would refuse: the error's type, code (may be null), parameter and message, and the HTTP status. */
  record Refusal(int status, String type, String code, String param, String message) {}

  private static final Path SPEC = Path.of("target", "stripe-openapi", "package", "stripe.oas.json");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNode OPENAPI = load();

  private final List<Refusal> refusals = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> usedWithoutCustomer = ConcurrentHashMap.newKeySet();

  @Override
  public String getName() {
    return "stripe-api-check";
  }

  @Override
  public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
    var uri = URI.create(request.getUrl());
    var params = request.getMethod().getName().equals("GET") ? form(uri.getRawQuery()) : form(request.getBodyAsString());
    var refusal = check(request.getMethod().getName().toLowerCase(), uri.getPath(), params);
    if (refusal == null) {
      return RequestFilterAction.continueWith(request);
    }
    refusals.add(refusal);
    var error = new LinkedHashMap<String, Object>();
    error.put("type", refusal.type());
    if (refusal.code() != null) {
      error.put("code", refusal.code());
    }
    if (refusal.param() != null) {
      error.put("param", refusal.param());
    }
    error.put("message", refusal.message());
    return RequestFilterAction.stopWith(ResponseDefinitionBuilder.responseDefinition().withStatus(refusal.status())
        .withHeader("Content-Type", "application/json").withHeader("Request-Id", "req_refused")
        .withBody(JSON.writeValueAsString(Map.of("error", error))).build());
  }

  /** The requests refused since the last call, forgotten here. */
  List<Refusal> takeRefusals() {
    synchronized (refusals) {
      var taken = List.copyOf(refusals);
      refusals.clear();
      return taken;
    }
  }

  /** What Stripe would refuse of {@code method path} with these parameters, or null. */
  Refusal check(String method, String path, Map<String, String> params) {
    var operation = operation(method, path);
    if (operation == null) {
      return new Refusal(404, "invalid_request_error", null, null,
          "Unrecognized request URL (" + method.toUpperCase() + ": " + path + ")");
    }
    var refusal = method.equals("get") ? checkQuery(operation, params) : checkBody(operation, params);
    return refusal != null ? refusal : behaviour(method, path, params);
  }

  /** Stripe's rules that the description cannot say. */
  private Refusal behaviour(String method, String path, Map<String, String> params) {
    if (!method.equals("post") || !path.equals("/v1/payment_intents")) {
      return null;
    }
    // since API 2023-08-16, automatic payment methods are on unless the types are named; some redirect
    if ("true".equals(params.get("confirm")) && params.keySet().stream().noneMatch(k -> k.startsWith("payment_method_types["))
        && !params.containsKey("return_url") && !"never".equals(params.get("automatic_payment_methods[allow_redirects]"))) {
      return new Refusal(400, "invalid_request_error", null, "return_url", "A `return_url` must be specified because this"
          + " Payment Intent is configured to automatically accept the payment methods enabled in the Dashboard, some of"
          + " which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods,"
          + " set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never`"
          + " when creating Setup Intents and Payment Intents.");
    }
    var paymentMethod = params.get("payment_method");
    if (paymentMethod != null && !params.containsKey("customer") && !usedWithoutCustomer.add(paymentMethod)) {
      return new Refusal(400, "invalid_request_error", null, "payment_method", "The provided PaymentMethod was previously"
          + " used with a PaymentIntent without Customer attachment, shared with a connected account without Customer"
          + " attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times,"
          + " you must attach it to a Customer first.");
    }
    return null;
  }

  private static JsonNode operation(String method, String path) {
    var exact = OPENAPI.path("paths").path(path).get(method);
    if (exact != null) {
      return exact;
    }
    for (var entry : OPENAPI.path("paths").properties()) {
      var template = Pattern.compile(entry.getKey().replaceAll("\\{[^}]+}", "[^/]+"));
      if (template.matcher(path).matches() && entry.getValue().has(method)) {
        return entry.getValue().get(method);
      }
    }
    return null;
  }

  private static Refusal checkBody(JsonNode operation, Map<String, String> params) {
    var schema = resolve(operation.path("requestBody").path("content").path("application/x-www-form-urlencoded").path("schema"));
    for (var required : schema.path("required")) {
      if (params.keySet().stream().noneMatch(k -> k.equals(required.asString()) || k.startsWith(required.asString() + "["))) {
        return missing(required.asString());
      }
    }
    for (var param : params.entrySet()) {
      var refusal = walk(schema, segments(param.getKey()), 0, param.getKey(), param.getValue());
      if (refusal != null) {
        return refusal;
      }
    }
    return null;
  }

  private static Refusal checkQuery(JsonNode operation, Map<String, String> params) {
    var declared = new LinkedHashMap<String, JsonNode>();
    for (var parameter : operation.path("parameters")) {
      if (parameter.path("in").asString().equals("query")) {
        declared.put(parameter.path("name").asString(), parameter);
        if (parameter.path("required").asBoolean() && !params.containsKey(parameter.path("name").asString())) {
          return missing(parameter.path("name").asString());
        }
      }
    }
    for (var param : params.entrySet()) {
      var segments = segments(param.getKey());
      var parameter = declared.get(segments.get(0));
      if (parameter == null) {
        return unknown(segments.get(0));
      }
      var refusal = walk(parameter.path("schema"), segments, 1, param.getKey(), param.getValue());
      if (refusal != null) {
        return refusal;
      }
    }
    return null;
  }

  /** Whether {@code schema} takes the value at {@code segments[at…]}. */
  private static Refusal walk(JsonNode schema, List<String> segments, int at, String name, String value) {
    schema = resolve(schema);
    if (schema.has("anyOf")) {
      Refusal first = null;
      for (var branch : schema.path("anyOf")) {
        var refusal = walk(branch, segments, at, name, value);
        if (refusal == null) {
          return null;
        }
        first = first == null ? refusal : first;
      }
      return first;
    }
    var type = schema.path("type").asString("");
    if (at == segments.size()) {
      return leaf(schema, type, name, value);
    }
    var segment = segments.get(at);
    if (type.equals("object")) {
      var property = schema.path("properties").get(segment);
      if (property != null) {
        return walk(property, segments, at + 1, name, value);
      }
      var additional = schema.get("additionalProperties");
      if (additional != null && additional.isObject()) {
        return walk(additional, segments, at + 1, name, value);
      }
      return unknown(String.join("", prefix(segments, at + 1)));
    }
    if (type.equals("array") && segment.matches("\\d*")) {
      return walk(schema.path("items"), segments, at + 1, name, value);
    }
    return unknown(String.join("", prefix(segments, at + 1)));
  }

  private static Refusal leaf(JsonNode schema, String type, String name, String value) {
    if (schema.has("enum")) {
      for (var allowed : schema.path("enum")) {
        if (allowed.asString().equals(value)) {
          return null;
        }
      }
      return invalid(name, "Invalid " + name + ": must be one of " + schema.path("enum"));
    }
    return switch (type) {
      case "boolean" -> value.equals("true") || value.equals("false") ? null : invalid(name, "Invalid boolean: " + value);
      case "integer" -> value.matches("-?\\d+") ? null
          : new Refusal(400, "invalid_request_error", "parameter_invalid_integer", name, "Invalid integer: " + value);
      case "object", "array" -> invalid(name, "Invalid " + type + " for " + name);
      default -> null;
    };
  }

  private static List<String> prefix(List<String> segments, int count) {
    var names = new ArrayList<String>();
    for (int i = 0; i < count; i++) {
      names.add(i == 0 ? segments.get(0) : "[" + segments.get(i) + "]");
    }
    return names;
  }

  private static Refusal unknown(String param) {
    return new Refusal(400, "invalid_request_error", "parameter_unknown", param, "Received unknown parameter: " + param);
  }

  private static Refusal missing(String param) {
    return new Refusal(400, "invalid_request_error", "parameter_missing", param, "Missing required param: " + param + ".");
  }

  private static Refusal invalid(String param, String message) {
    return new Refusal(400, "invalid_request_error", null, param, message);
  }

  /** {@code a[b][0]} as {@code a, b, 0}. */
  private static List<String> segments(String key) {
    var bracket = key.indexOf('[');
    if (bracket < 0) {
      return List.of(key);
    }
    var segments = new ArrayList<String>();
    segments.add(key.substring(0, bracket));
    segments.addAll(Arrays.asList(key.substring(bracket + 1, key.length() - 1).split("]\\[", -1)));
    return segments;
  }

  private static Map<String, String> form(String encoded) {
    var params = new LinkedHashMap<String, String>();
    if (encoded == null || encoded.isEmpty()) {
      return params;
    }
    for (var pair : encoded.split("&")) {
      var equals = pair.indexOf('=');
      var key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      params.put(key, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private static JsonNode resolve(JsonNode schema) {
    while (schema.has("$ref")) {
      var ref = schema.path("$ref").asString();
      schema = OPENAPI.at(ref.substring(1));
    }
    return schema;
  }

  private static JsonNode load() {
    if (!Files.exists(SPEC)) {
      throw new IllegalStateException(SPEC.toAbsolutePath() + " is missing: the build fetches Stripe's OpenAPI description"
          + " (generate-test-resources) with npm");
    }
    try {
      return JSON.readTree(Files.readString(SPEC));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
