package io.tsuzuku.status.adapter.in.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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

/**
 * The admin console: a page, its script and its charting library (Apache ECharts, from its
 * webjar) under {@code /console/} (docs/admin-console.md). They hold no data; the script calls the
 * admin API with the administrator's bearer token. Served by this service alone (not from
 * {@code static/}, which every service of the local stack's JVM would serve), nothing from a CDN.
 */
@Configuration(proxyBeanMethods = false)
class ConsolePages {

  private static final ClassPathResource INDEX = new ClassPathResource("console/index.html");

  @Bean
  RouterFunction<ServerResponse> console() {
    var charts = charts();
    return RouterFunctions.route()
        .GET("/console", request -> ServerResponse.permanentRedirect(URI.create("/console/")).build())
        .GET("/console/", request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(INDEX))
        .GET("/console/lib/echarts.min.js", request -> ServerResponse.ok()
            .contentType(new MediaType("text", "javascript"))
            .cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(1)))
            .bodyValue(charts))
        .build()
        .and(RouterFunctions.resources("/console/**", new ClassPathResource("console/")));
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
