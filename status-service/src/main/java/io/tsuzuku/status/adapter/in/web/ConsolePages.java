package io.tsuzuku.status.adapter.in.web;

import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The admin console: a page and its script under {@code /console/} (docs/admin-console.md). They
 * hold no data; the script calls the admin API with the administrator's bearer token. Served by
 * this service alone (not from {@code static/}, which every service of the local stack's JVM
 * would serve).
 */
@Configuration(proxyBeanMethods = false)
class ConsolePages {

  private static final ClassPathResource INDEX = new ClassPathResource("console/index.html");

  @Bean
  RouterFunction<ServerResponse> console() {
    return RouterFunctions.route()
        .GET("/console", request -> ServerResponse.permanentRedirect(URI.create("/console/")).build())
        .GET("/console/", request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(INDEX))
        .build()
        .and(RouterFunctions.resources("/console/**", new ClassPathResource("console/")));
  }
}
