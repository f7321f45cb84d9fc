package io.tsuzuku.security;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import reactor.core.publisher.Mono;

/**
 * Every tsuzuku API (the status-service's admin API, the crm-sync-service's configuration API)
 * is for bearer tokens (JWT) from the platform's identity provider: RS256 or ES256, verified
 * through its JWK set ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code
 * jwk-set-uri}, Spring's standard resource-server properties), its issuer checked, and the
 * audience when {@code tsuzuku.security.audience} is set. A symmetric HS256 key is used only
 * where {@code tsuzuku.security.jwt-secret} is set explicitly (the local stack sets its own); a
 * service with neither refuses to start. Every token must expire ({@code exp}). The token's {@code
 * org} claim names the one organisation it may touch ({@link OrganisationClaim}); its scope
 * {@code contracts:read} reads, {@code contracts:write} acts (every other method). Health stays
 * open for the platform's probes; refusals are problem details like every other error.
 */
@AutoConfiguration(before = {ReactiveWebSecurityAutoConfiguration.class, ReactiveOAuth2ResourceServerAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableWebFluxSecurity
public class BearerTokenSecurityAutoConfiguration {

  /**
   * @param publicPaths paths served without a token besides health ({@code
   *     tsuzuku.security.public-paths}): a page whose script then calls the API with a token
   */
  /** The scope that reads an organisation's data. */
  public static final String READ = "contracts:read";

  /** The scope that acts: bulk operations, Salesforce settings. */
  public static final String WRITE = "contracts:write";

  /**
   * @param consoleOrigins the origins of admin consoles whose pages call this API from the browser
   *     ({@code tsuzuku.security.console-origins}, comma-separated, a port may be {@code *}): their
   *     cross-origin requests to {@code /api/**} are allowed (CORS), with the bearer token in a
   *     header, never a cookie. None by default: no page of another origin may call the API.
   */
  @Bean
  SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, @Value("${tsuzuku.security.public-paths:}") String[] publicPaths,
      @Value("${tsuzuku.security.console-origins:}") String[] consoleOrigins) {
    var open = new java.util.ArrayList<>(java.util.List.of("/actuator/health", "/actuator/health/**", "/actuator/info"));
    open.addAll(java.util.Arrays.stream(publicPaths).filter(path -> !path.isBlank()).toList());
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .cors(cors -> cors.configurationSource(consoles(consoleOrigins)))
        // every request carries its token: no session is read or kept, and no request leaves the
        // event loop to load a security context it would not find
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers(open.toArray(String[]::new))
                    .permitAll()
                    .pathMatchers(HttpMethod.GET, "/api/**")
                    .hasAnyAuthority("SCOPE_" + READ, "SCOPE_" + WRITE)
                    .pathMatchers("/api/**")
                    .hasAuthority("SCOPE_" + WRITE)
                    .anyExchange()
                    .authenticated())
        .oauth2ResourceServer(
            server -> server.jwt(Customizer.withDefaults())
                .authenticationEntryPoint(problemEntryPoint())
                .accessDeniedHandler(forbiddenAsProblem()))
        .exceptionHandling(handling -> handling.authenticationEntryPoint(problemEntryPoint()).accessDeniedHandler(forbiddenAsProblem()))
        .build();
  }

  private static CorsConfigurationSource consoles(String[] origins) {
    var allowed = java.util.Arrays.stream(origins).map(String::trim).filter(origin -> !origin.isEmpty()).toList();
    var sources = new UrlBasedCorsConfigurationSource();
    if (!allowed.isEmpty()) {
      var config = new CorsConfiguration();
      config.setAllowedOriginPatterns(allowed);
      config.setAllowedMethods(java.util.List.of("GET", "POST", "PUT", "DELETE"));
      config.setAllowedHeaders(java.util.List.of("Authorization", "Content-Type", "Idempotency-Key"));
      config.setAllowCredentials(false);
      config.setExposedHeaders(java.util.List.of("WWW-Authenticate")); // the console tells an expired token from a refused one
      config.setMaxAge(Duration.ofMinutes(10));
      sources.registerCorsConfiguration("/api/**", config);
    }
    return sources;
  }

  /**
   * How tokens are verified: the identity provider's keys when one is configured, else the HS256
   * key when one is set explicitly; with neither the service does not start.
   */
  @Bean
  ReactiveJwtDecoder jwtDecoder(Environment environment) {
    var issuer = environment.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "");
    var jwkSetUri = environment.getProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "");
    var secret = environment.getProperty("tsuzuku.security.jwt-secret", "");
    var audience = environment.getProperty("tsuzuku.security.audience", "");
    NimbusReactiveJwtDecoder decoder;
    if (!jwkSetUri.isBlank()) {
      decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwkSetUri)
          .jwsAlgorithm(SignatureAlgorithm.RS256).jwsAlgorithm(SignatureAlgorithm.ES256).build();
    } else if (!issuer.isBlank()) {
      decoder = NimbusReactiveJwtDecoder.withIssuerLocation(issuer)
          .jwsAlgorithm(SignatureAlgorithm.RS256).jwsAlgorithm(SignatureAlgorithm.ES256).build();
    } else if (!secret.isBlank()) {
      decoder = NimbusReactiveJwtDecoder.withSecretKey(symmetricKey(secret)).macAlgorithm(MacAlgorithm.HS256).build();
    } else {
      throw new IllegalStateException("No way to verify bearer tokens: set spring.security.oauth2.resourceserver.jwt.issuer-uri "
          + "(or jwk-set-uri) for the identity provider, or tsuzuku.security.jwt-secret (HS256, for the local stack only)");
    }
    var validators = new java.util.ArrayList<OAuth2TokenValidator<Jwt>>();
    validators.add(new JwtTimestampValidator());
    validators.add(new JwtClaimValidator<java.time.Instant>(JwtClaimNames.EXP, expiry -> expiry != null));
    if (!issuer.isBlank()) {
      validators.add(new JwtIssuerValidator(issuer));
    }
    if (!audience.isBlank()) {
      validators.add(new JwtClaimValidator<java.util.List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)));
    }
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
    return decoder;
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

  /** A token without the scope the request needs gets a 403 in problem-details form. */
  private static ServerAccessDeniedHandler forbiddenAsProblem() {
    return (exchange, denied) ->
        writeProblem(exchange.getResponse(), HttpStatus.FORBIDDEN, "INSUFFICIENT_SCOPE", "The token's scope does not allow this request.");
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

  /** The local stack's and the tests' HS256 key: at least 32 bytes, as the algorithm requires. */
  static SecretKeySpec symmetricKey(String secret) {
    var bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < 32) {
      throw new IllegalArgumentException("tsuzuku.security.jwt-secret must have at least 32 bytes for HS256");
    }
    return new SecretKeySpec(bytes, "HmacSHA256");
  }
}
