package io.tsuzuku.security;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
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
 * {@code contracts:read} reads, {@code contracts:write} acts (every other method). The operators'
 * endpoints ({@code /actuator/**}) need the scope {@code operations}, which no organisation's token
 * carries; only health stays open, for the platform's probes (its components shown to operators
 * only). With an identity provider the audience is required, and no token may live longer than
 * {@code tsuzuku.security.max-token-lifetime}. Refusals are problem details like every other error,
 * and each is logged with the principal and the path (docs/security.md).
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

  /** The operators' scope: every actuator endpoint but health. No organisation's token carries it. */
  public static final String OPERATIONS = "operations";

  private static final Logger log = LoggerFactory.getLogger(BearerTokenSecurityAutoConfiguration.class);

  /**
   * @param consoleOrigins the origins of admin consoles whose pages call this API from the browser
   *     ({@code tsuzuku.security.console-origins}, comma-separated, a port may be {@code *}): their
   *     cross-origin requests to {@code /api/**} are allowed (CORS), with the bearer token in a
   *     header, never a cookie. None by default: no page of another origin may call the API.
   */
  @Bean
  SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, @Value("${tsuzuku.security.public-paths:}") String[] publicPaths,
      @Value("${tsuzuku.security.console-origins:}") String[] consoleOrigins) {
    var open = new java.util.ArrayList<>(java.util.List.of("/actuator/health", "/actuator/health/**"));
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
                    .pathMatchers("/actuator", "/actuator/**")
                    .hasAuthority("SCOPE_" + OPERATIONS)
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
   * How tokens are verified: the identity provider's keys when one is configured (then the audience
   * is required), else the HS256 key when one is set explicitly; with neither the service does not
   * start. Every token must expire, within the maximum lifetime.
   */
  @Bean
  ReactiveJwtDecoder jwtDecoder(Environment environment) {
    var issuer = environment.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "");
    var jwkSetUri = environment.getProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "");
    var secret = environment.getProperty("tsuzuku.security.jwt-secret", "");
    var audience = environment.getProperty("tsuzuku.security.audience", "");
    var maxLifetime = environment.getProperty("tsuzuku.security.max-token-lifetime", Duration.class, Duration.ofHours(1));
    if ((!issuer.isBlank() || !jwkSetUri.isBlank()) && audience.isBlank()) {
      throw new IllegalStateException("No audience for the identity provider's tokens: set tsuzuku.security.audience "
          + "(TSUZUKU_JWT_AUDIENCE) to the audience the provider names this API with, so a token issued for another API is refused");
    }
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
    // tokens live on the identity provider's clock, the wall clock, never on a service's business clock
    var wallClock = java.time.Clock.systemUTC();
    var timestamps = new JwtTimestampValidator();
    timestamps.setClock(wallClock);
    validators.add(timestamps);
    validators.add(new JwtClaimValidator<java.time.Instant>(JwtClaimNames.EXP, expiry -> expiry != null));
    validators.add(lifetimeAtMost(maxLifetime, wallClock));
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
   * No token may be valid for longer than {@code max}: not by its own claims ({@code exp - iat}), nor
   * from now, since a token without {@code iat} is read as issued a second before it expires.
   */
  static OAuth2TokenValidator<Jwt> lifetimeAtMost(Duration max, java.time.Clock clock) {
    var refused = OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "The token may live at most " + max, null));
    return jwt -> {
      var expires = jwt.getExpiresAt();
      if (expires == null) {
        return OAuth2TokenValidatorResult.success(); // refused as unexpiring by the validator of exp
      }
      var issued = jwt.getIssuedAt() == null ? expires : jwt.getIssuedAt();
      var tooLong = Duration.between(issued, expires).compareTo(max) > 0
          || Duration.between(clock.instant(), expires).compareTo(max.plusMinutes(1)) > 0;
      return tooLong ? refused : OAuth2TokenValidatorResult.success();
    };
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

  /**
   * A token without the scope the request needs gets a 403 in problem-details form, and the refusal
   * is logged with the token's subject and organisation (never the token).
   */
  private static ServerAccessDeniedHandler forbiddenAsProblem() {
    return (exchange, denied) -> exchange.getPrincipal()
        .map(principal -> principal instanceof JwtAuthenticationToken jwt
            ? "sub=" + jwt.getName() + " org=" + jwt.getToken().getClaims().get(OrganisationClaim.NAME)
            : "sub=" + principal.getName())
        .defaultIfEmpty("anonymous")
        .flatMap(principal -> {
          log.warn("403 {} {} {}: the token's scope does not allow it", principal, exchange.getRequest().getMethod(),
              exchange.getRequest().getPath().value());
          return writeProblem(exchange.getResponse(), HttpStatus.FORBIDDEN, "INSUFFICIENT_SCOPE", "The token's scope does not allow this request.");
        });
  }

  /**
   * A missing or invalid token gets a 401 in problem-details form, like every other refusal, logged
   * with the path and why (an anonymous scan is INFO: nothing for an operator to do).
   */
  private static ServerAuthenticationEntryPoint problemEntryPoint() {
    return (exchange, exception) -> {
      log.info("401 {} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath().value(),
          exception.getMessage());
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
