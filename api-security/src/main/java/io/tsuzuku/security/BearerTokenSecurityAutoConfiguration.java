package io.tsuzuku.security;

import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import reactor.core.publisher.Mono;

/**
 * Every tsuzuku API (the status-service's admin API, the crm-sync-service's configuration API)
 * is for bearer tokens (JWT, HS256, signed with {@code tsuzuku.security.jwt-secret}); the token's
 * {@code org} claim names the one organisation it may touch ({@link OrganisationClaim}). Health
 * stays open for the platform's probes; refusals are problem details like every other error.
 */
@AutoConfiguration(before = {ReactiveWebSecurityAutoConfiguration.class, ReactiveOAuth2ResourceServerAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableWebFluxSecurity
public class BearerTokenSecurityAutoConfiguration {

  /**
   * @param publicPaths paths served without a token besides health ({@code
   *     tsuzuku.security.public-paths}): a page whose script then calls the API with a token
   */
  @Bean
  SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, @Value("${tsuzuku.security.public-paths:}") String[] publicPaths) {
    var open = new java.util.ArrayList<>(java.util.List.of("/actuator/health", "/actuator/health/**", "/actuator/info"));
    open.addAll(java.util.Arrays.stream(publicPaths).filter(path -> !path.isBlank()).toList());
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers(open.toArray(String[]::new))
                    .permitAll()
                    .anyExchange()
                    .authenticated())
        .oauth2ResourceServer(
            server -> server.jwt(Customizer.withDefaults()).authenticationEntryPoint(problemEntryPoint()))
        .exceptionHandling(handling -> handling.authenticationEntryPoint(problemEntryPoint()))
        .build();
  }

  @Bean
  ReactiveJwtDecoder jwtDecoder(@Value("${tsuzuku.security.jwt-secret:" + LocalTokens.LOCAL_SECRET + "}") String secret) {
    return NimbusReactiveJwtDecoder.withSecretKey(LocalTokens.key(secret))
        .macAlgorithm(MacAlgorithm.HS256)
        .build();
  }

  /**
   * A request the firewall rejects before any controller sees it (encoded quotes or braces in a
   * path, such as an operator shape {@code {"$ne":null}} for an id) is a 400 problem too.
   */
  @Bean
  ServerExchangeRejectedHandler rejectedAsProblem() {
    return (exchange, rejected) ->
        writeProblem(exchange.getResponse(), HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST", "The request path is not allowed.");
  }

  /** A missing or invalid token gets a 401 in problem-details form, like every other refusal. */
  private static ServerAuthenticationEntryPoint problemEntryPoint() {
    return (exchange, exception) -> {
      exchange.getResponse().getHeaders().set("WWW-Authenticate", "Bearer");
      return writeProblem(exchange.getResponse(), HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "A valid bearer token is required.");
    };
  }

  private static Mono<Void> writeProblem(ServerHttpResponse response, HttpStatus status, String code, String detail) {
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    var body =
        "{\"type\":\"%s\",\"title\":\"%s\",\"status\":%d,\"detail\":\"%s\",\"code\":\"%s\"}"
            .formatted(Problems.type(code), status.getReasonPhrase(), status.value(), detail, code);
    DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
    return response.writeWith(Mono.just(buffer));
  }
}
