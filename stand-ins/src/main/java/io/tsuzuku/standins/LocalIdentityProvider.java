package io.tsuzuku.standins;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * The identity provider of the local stack and the end-to-end tests: an OpenID Connect provider
 * (mock-oauth2-server) on the loopback address, issuing RS256 access tokens through its JWK set,
 * which the services verify exactly as they verify a production provider's (issuer, JWK set,
 * audience {@value #AUDIENCE}, lifetime). Its issuer is {@code http://127.0.0.1:<port>/tsuzuku}.
 *
 * <ul>
 *   <li>The admin console signs in with the authorization code flow and PKCE (public client
 *       {@value #CONSOLE_CLIENT}); the provider signs in the administrator {@link #signInAs} named
 *       (at first the one given at start) without asking, as a provider would for a user already
 *       signed in.
 *   <li>curl gets a token with the client credentials grant: client {@value #OPERATOR_CLIENT} gets
 *       the operators' scope ({@code operations}), any other client the administrator's token.
 *   <li>The deployment registers the event contract's schemas with the client credentials of
 *       client {@value #DEPLOYMENT_CLIENT}: with its secret {@value #DEPLOYMENT_SECRET} the token
 *       carries the scope {@value #SCHEMAS}, the only one the schema registry lets write; with
 *       any other secret it carries no scope at all.
 *   <li>Tests issue tokens directly ({@link #token}, {@link #operatorToken}).
 * </ul>
 */
public final class LocalIdentityProvider implements AutoCloseable {

  /** The issuer's path: its id at the provider. */
  public static final String ISSUER_ID = "tsuzuku";

  /** The audience of every token it issues, which the services expect ({@code tsuzuku.security.audience}). */
  public static final String AUDIENCE = LocalTokens.AUDIENCE;

  /** The admin console's client id (a public client: no secret, PKCE). */
  public static final String CONSOLE_CLIENT = "tsuzuku-console";

  /** The client whose client-credentials token is an operator's. */
  public static final String OPERATOR_CLIENT = "operator";

  /** The deployment's confidential client, which registers schemas. */
  public static final String DEPLOYMENT_CLIENT = "deployment";

  /** The deployment client's secret on this machine. */
  public static final String DEPLOYMENT_SECRET = "local-deployment";

  /** The scope of the schema registry's writers. */
  public static final String SCHEMAS = "schemas";

  private final MockOAuth2Server server;
  private final Tokens tokens;

  /** Who signs in next through the console, and how the client-credentials grant answers. */
  private static final class Tokens implements OAuth2TokenCallback {
    private volatile String org;
    private volatile String subject;
    private volatile String scope;
    private volatile Duration validity;

    @Override
    public String issuerId() {
      return ISSUER_ID;
    }

    @Override
    public String subject(TokenRequest request) {
      var client = client(request);
      return OPERATOR_CLIENT.equals(client) || DEPLOYMENT_CLIENT.equals(client) ? client : subject;
    }

    @Override
    public String typeHeader(TokenRequest request) {
      return JOSEObjectType.JWT.getType();
    }

    @Override
    public List<String> audience(TokenRequest request) {
      return List.of(AUDIENCE);
    }

    @Override
    public Map<String, Object> addClaims(TokenRequest request) {
      var client = client(request);
      if (OPERATOR_CLIENT.equals(client)) {
        return Map.of("scope", LocalTokens.OPERATIONS);
      }
      if (DEPLOYMENT_CLIENT.equals(client)) {
        var secret = request.getClientAuthentication() instanceof ClientSecretBasic basic ? basic.getClientSecret().getValue()
            : request.getClientAuthentication() instanceof ClientSecretPost post ? post.getClientSecret().getValue() : null;
        return Map.of("scope", DEPLOYMENT_SECRET.equals(secret) ? SCHEMAS : "");
      }
      return Map.of(LocalTokens.ORGANISATION, org, "scope", scope);
    }

    @Override
    public long tokenExpiry() {
      return validity.toSeconds();
    }

    /** The client of a client-credentials request; null for any other grant. */
    private static String client(TokenRequest request) {
      return GrantType.CLIENT_CREDENTIALS.equals(request.getAuthorizationGrant().getType()) && request.getClientAuthentication() != null
          ? request.getClientAuthentication().getClientID().getValue() : null;
    }
  }

  private LocalIdentityProvider(MockOAuth2Server server, Tokens tokens) {
    this.server = server;
    this.tokens = tokens;
  }

  /**
   * Starts the provider on 127.0.0.1 ({@code port} 0: a free one), signing in {@code org}'s
   * administrator {@code subject} with both administrator scopes for an hour.
   */
  public static LocalIdentityProvider start(int port, String org, String subject) {
    var tokens = new Tokens();
    var server = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(), Set.of(tokens),
        new MockWebServerWrapper()));
    try {
      // the address given as such, so the issuer reads 127.0.0.1 as every client calls it
      server.start(InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1}), port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    var provider = new LocalIdentityProvider(server, tokens);
    provider.signInAs(org, subject, LocalTokens.READ + " " + LocalTokens.WRITE, Duration.ofHours(1));
    return provider;
  }

  /** The issuer URL, which the services are configured with ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri}). */
  public String issuer() {
    return server.issuerUrl(ISSUER_ID).toString().replaceAll("/$", "");
  }

  /** The token endpoint, for curl. */
  public String tokenEndpoint() {
    return server.tokenEndpointUrl(ISSUER_ID).toString();
  }

  /** Who the console signs in from now on: {@code org}'s administrator {@code subject} with {@code scope}, for {@code validity}. */
  public void signInAs(String org, String subject, String scope, Duration validity) {
    tokens.org = org;
    tokens.subject = subject;
    tokens.scope = scope;
    tokens.validity = validity;
  }

  /** An access token of {@code org}'s administrator {@code subject} with {@code scope}, valid for {@code validity} from now. */
  public String token(String org, String subject, String scope, Duration validity) {
    return issue(subject, Map.of(LocalTokens.ORGANISATION, org, "scope", scope), validity);
  }

  /** An administrator's token with both scopes, for an hour. */
  public String token(String org) {
    return token(org, "admin@" + org, LocalTokens.READ + " " + LocalTokens.WRITE, Duration.ofHours(1));
  }

  /** An operator's token: the scope {@code operations}, no organisation. */
  public String operatorToken(Duration validity) {
    return issue(OPERATOR_CLIENT, Map.of("scope", LocalTokens.OPERATIONS), validity);
  }

  private String issue(String subject, Map<String, Object> claims, Duration validity) {
    return server.issueToken(ISSUER_ID, CONSOLE_CLIENT, new DefaultOAuth2TokenCallback(ISSUER_ID, subject, JOSEObjectType.JWT.getType(),
        List.of(AUDIENCE), claims, validity.toSeconds())).serialize();
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
