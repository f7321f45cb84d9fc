package io.tsuzuku.status.adapter.in.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;

/**
 * The admin console: a page, its script and its charting library (Apache ECharts, from its
 * webjar) under {@code /console/} (docs/admin-console.md). They hold no data; the script signs the
 * administrator in through the identity provider ({@code tsuzuku.admin.console.issuer}, the
 * authorization code flow with PKCE as the public client {@code tsuzuku.admin.console.client-id}),
 * then calls the admin API with the bearer token, and the crm-sync-service's integration API at
 * the address {@code /console/config.json} gives ({@code tsuzuku.admin.console.salesforce-api}).
 * Every console response carries a Content-Security-Policy that lets the page load only its own
 * scripts and call only this service, the integration API and the identity provider.
 * The Salesforce guides of docs/ are served as pages under {@code /console/guides/}. Served by this
 * service alone (not from {@code static/}, which every service of the local stack's JVM would
 * serve), nothing from a CDN.
 */
@Configuration(proxyBeanMethods = false)
class ConsolePages {

  private static final ClassPathResource INDEX = new ClassPathResource("console/index.html");

  @Bean
  RouterFunction<ServerResponse> console(@Value("${tsuzuku.admin.console.salesforce-api:}") String salesforceApi,
      @Value("${tsuzuku.admin.console.issuer:}") String issuer, @Value("${tsuzuku.admin.console.client-id:}") String clientId,
      @Value("${tsuzuku.admin.console.scope:openid}") String scope) {
    var charts = charts();
    var config = new java.util.HashMap<String, String>();
    config.put("salesforceApi", salesforceApi.isBlank() ? null : salesforceApi.replaceAll("/+$", ""));
    config.put("issuer", issuer.isBlank() ? null : issuer.replaceAll("/+$", ""));
    config.put("clientId", clientId.isBlank() ? null : clientId);
    config.put("scope", scope);
    var guides = new ConsoleGuides();
    return RouterFunctions.route()
        .GET("/console", request -> ServerResponse.permanentRedirect(URI.create("/console/")).build())
        .GET("/console/", request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(INDEX))
        .GET("/console/config.json", request -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
            .cacheControl(CacheControl.noCache()).bodyValue(config))
        .GET("/console/guides/{name}", request -> guides.page(request.pathVariable("name"))
            .map(page -> ServerResponse.ok().contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .bodyValue(page))
            .orElseGet(() -> ServerResponse.notFound().build()))
        .GET("/console/lib/echarts.min.js", request -> ServerResponse.ok()
            .contentType(new MediaType("text", "javascript"))
            .cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(1)))
            .bodyValue(charts))
        .build()
        .and(RouterFunctions.resources("/console/**", new ClassPathResource("console/")));
  }

  @Bean
  WebFilter consoleSecurityPolicy(@Value("${tsuzuku.admin.console.salesforce-api:}") String salesforceApi,
      @Value("${tsuzuku.admin.console.issuer:}") String issuer) {
    var policy = contentSecurityPolicy(salesforceApi, issuer);
    return (exchange, chain) -> {
      if (exchange.getRequest().getPath().value().startsWith("/console")) {
        exchange.getResponse().getHeaders().set("Content-Security-Policy", policy);
      }
      return chain.filter(exchange);
    };
  }

  /**
   * The page's own scripts only (no inline script, nothing from another origin), calls to this
   * service, the integration API and the identity provider (discovery and the token endpoint), no
   * framing, no plugins. Styles may be inline: the charts set them.
   */
  static String contentSecurityPolicy(String salesforceApi, String issuer) {
    var connect = new StringBuilder("'self'");
    for (var url : java.util.List.of(salesforceApi, issuer)) {
      if (!url.isBlank()) {
        var uri = URI.create(url.trim());
        connect.append(' ').append(uri.getScheme()).append("://").append(uri.getRawAuthority());
      }
    }
    return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src " + connect
        + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
  }

  /** The webjar's one bundled file, whatever the version the build brought. */
  private static Resource charts() {
    try {
      var found = new PathMatchingResourcePatternResolver()
          .getResources("classpath*:META-INF/resources/webjars/echarts/*/dist/echarts.min.js");
      if (found.length != 1) {
        throw new IllegalStateException("expected one ECharts webjar on the class path, found " + found.length);
      }
      return found[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
