package io.tsuzuku.status.config;

import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import reactor.core.publisher.Mono;

/**
 * The admin API is for bearer tokens (JWT, HS256, signed with {@code tsuzuku.security.jwt-secret});
 * the token's {@code org} claim names the one organisation it may touch. Health stays open for the
 * platform's probes.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityWebFilterChain apiSecurity(ServerHttpSecurity http) {
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                    .permitAll()
                    .anyExchange()
                    .authenticated())
        .oauth2ResourceServer(
            server -> server.jwt(Customizer.withDefaults()).authenticationEntryPoint(problemEntryPoint()))
        .exceptionHandling(handling -> handling.authenticationEntryPoint(problemEntryPoint()))
        .build();
  }

  @Bean
  ReactiveJwtDecoder jwtDecoder(@Value("${tsuzuku.security.jwt-secret}") String secret) {
    return NimbusReactiveJwtDecoder.withSecretKey(LocalTokens.key(secret))
        .macAlgorithm(MacAlgorithm.HS256)
        .build();
  }

  /** A missing or invalid token gets a 401 in problem-details form, like every other refusal. */
  private static ServerAuthenticationEntryPoint problemEntryPoint() {
    return (exchange, exception) -> {
      var response = exchange.getResponse();
      response.setStatusCode(HttpStatus.UNAUTHORIZED);
      response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
      response.getHeaders().set("WWW-Authenticate", "Bearer");
      var body =
          "{\"type\":\"https://tsuzuku.io/problems/unauthenticated\",\"title\":\"Unauthorized\","
              + "\"status\":401,\"detail\":\"A valid bearer token is required.\",\"code\":\"UNAUTHENTICATED\"}";
      DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
      return response.writeWith(Mono.just(buffer));
    };
  }

}
