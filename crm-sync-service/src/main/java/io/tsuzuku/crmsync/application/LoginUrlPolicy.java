package io.tsuzuku.crmsync.application;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where an organisation's Salesforce integration may log in and call: the client-credentials POST
 * carries its client secret and every call its token, so both the login URL and the instance URL
 * Salesforce answers with are the org's My Domain ({@code https://*.my.salesforce.com}, which
 * covers sandboxes, {@code …--<sandbox>.sandbox.my.salesforce.com}, and developer editions), never
 * an internal host or an IP literal, with no credentials, query or fragment. {@code
 * login.salesforce.com} and {@code test.salesforce.com} are refused with a message of their own:
 * Salesforce does not support the client credentials flow there (docs/salesforce-setup.md).
 * Deployments add entries ({@code
 * tsuzuku.crm-sync.salesforce.allowed-login-urls}): the local stack adds its stub org, {@code
 * http://127.0.0.1:*} (an IP literal is allowed only by an entry that names it).
 */
public final class LoginUrlPolicy {

  /** Salesforce's My Domain hosts, the only ones where the client credentials flow works. */
  public static final List<String> SALESFORCE = List.of("https://*.my.salesforce.com");

  /** Salesforce's generic login hosts, where the client credentials flow is not supported. */
  private static final List<String> GENERIC_LOGIN_HOSTS = List.of("login.salesforce.com", "test.salesforce.com");

  private static final String MY_DOMAIN = "the org's My Domain URL, https://<MyDomainName>.my.salesforce.com "
      + "(a sandbox: https://<MyDomainName>--<SandboxName>.sandbox.my.salesforce.com; Setup, My Domain)";

  private static final Pattern IP_LITERAL = Pattern.compile("^\\[.*\\]$|^\\d{1,3}(\\.\\d{1,3}){3}$|^\\d+$|^0x.*");

  /** One allowed origin: scheme, host (a leading {@code *.} for any subdomain), port ({@code *}: any). */
  private record Entry(String scheme, String host, String port) {

    static Entry parse(String text) {
      var match = Pattern.compile("^(https?)://([^:/]+)(?::(\\d+|\\*))?/?$").matcher(text.trim());
      if (!match.matches()) {
        throw new IllegalArgumentException("not an allowed login URL entry: " + text);
      }
      return new Entry(match.group(1), match.group(2).toLowerCase(), match.group(3));
    }

    boolean allows(URI uri) {
      var host = uri.getHost().toLowerCase();
      var hostMatches = host.startsWith("*.") ? false
          : this.host.startsWith("*.") ? host.endsWith(this.host.substring(1)) && host.length() > this.host.length() - 1
          : this.host.equals(host);
      var portMatches = "*".equals(port) || (port == null ? uri.getPort() == -1 : String.valueOf(uri.getPort()).equals(port));
      return scheme.equals(uri.getScheme()) && hostMatches && portMatches;
    }

    boolean namesIpLiteral() {
      return IP_LITERAL.matcher(host).matches();
    }
  }

  private final List<Entry> allowed;

  private LoginUrlPolicy(List<Entry> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /** Salesforce's domains and the deployment's {@code extra} entries. */
  public static LoginUrlPolicy salesforceAnd(List<String> extra) {
    var entries = new ArrayList<Entry>();
    SALESFORCE.forEach(text -> entries.add(Entry.parse(text)));
    extra.stream().filter(text -> text != null && !text.isBlank()).forEach(text -> entries.add(Entry.parse(text)));
    return new LoginUrlPolicy(entries);
  }

  /** Why {@code loginUrl} is refused, or nothing when it may be used. */
  public Optional<String> refusal(String loginUrl) {
    URI uri;
    try {
      uri = new URI(loginUrl);
    } catch (URISyntaxException e) {
      return Optional.of("loginUrl is not a URL");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))) {
      return Optional.of("loginUrl must be an origin only (no credentials, path, query or fragment), for example "
          + "https://example.my.salesforce.com");
    }
    if (GENERIC_LOGIN_HOSTS.contains(uri.getHost().toLowerCase())) {
      return Optional.of("loginUrl must be " + MY_DOMAIN + ": Salesforce does not support the client credentials flow on "
          + uri.getHost());
    }
    var ipLiteral = IP_LITERAL.matcher(uri.getHost()).matches();
    var allowedHere = allowed.stream().anyMatch(entry -> entry.allows(uri) && (!ipLiteral || entry.namesIpLiteral()));
    if (!allowedHere) {
      return Optional.of("loginUrl must be " + MY_DOMAIN);
    }
    return Optional.empty();
  }
}
