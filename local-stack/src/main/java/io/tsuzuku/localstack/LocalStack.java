package io.tsuzuku.localstack;

import io.tsuzuku.schemas.KafkaAccess;
import io.tsuzuku.deployment.Deployment;
import io.tsuzuku.deployment.RegistryCredentials;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure.Settings;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure;
import io.tsuzuku.infra.embedded.EmbeddedKafkaBroker;
import io.tsuzuku.infra.embedded.EmbeddedSchemaRegistry;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.localstack.LocalSystem.Service;
import io.tsuzuku.standins.FakeSalesforce;
import io.tsuzuku.standins.LocalIdentityProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs tsuzuku on this machine: the real Kafka broker, schema registry and MongoDB-wire server,
 * their data kept across restarts, the four services (one JVM, an application context each: see
 * {@link LocalSystem}), a Salesforce stub org for the demo organisation, whose contracts are
 * registered at the first start. Prints where each part listens and how to get a token of the
 * demo organisation from the identity provider; Ctrl-C stops everything, the services before the servers.
 *
 * <p>With {@code --demo} (or {@code TSUZUKU_DEMO=true}) the demo tells its story on data of its
 * own that starts empty, a simulated day a second ({@code TSUZUKU_DEMO_DAY}, an ISO-8601 duration,
 * sets the real time a day takes) and then keeps the system running with time standing still, or
 * stops it with {@code --demo-exit} ({@link Demo}). {@code --verbose} shows the servers' and the
 * services' own INFO logs, which are off by default.
 *
 * <p>Settings, from the environment: {@code TSUZUKU_DATA_DIR} (default {@code
 * .local-stack-data}), {@code LOCAL_KAFKA_PORT} (9092), {@code LOCAL_REGISTRY_PORT} (8081), {@code
 * LOCAL_MONGODB_PORT} (27017), {@code LOCAL_SALESFORCE_PORT} (8094), {@code LOCAL_IDENTITY_PORT} (8095), {@code
 * STATUS_SERVICE_PORT} (8080) and the other services' ports. {@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code SCHEMA_REGISTRY_URL} or {@code MONGODB_URI} use an external server on this machine
 * instead of starting one. Everything listens on 127.0.0.1; tokens come from a stand-in identity
 * provider ({@link LocalIdentityProvider}), verified by the services as a production provider's.
 */
public final class LocalStack {

  private static final ZoneId TOKYO = Demo.TOKYO;
  /** The demo's first scheduled charges. */
  private static final LocalDate DEMO_FIRST_CHARGE = LocalDate.of(2027, 4, 5);
  private static final List<String> FLAGS = List.of("--demo", "--demo-exit", "--verbose");

  private LocalStack() {}

  public static void main(String[] args) throws InterruptedException {
    var flags = List.of(args);
    if (!FLAGS.containsAll(flags)) {
      System.err.println("usage: local-stack [--demo [--demo-exit]] [--verbose]");
      System.exit(2);
    }
    if (flags.contains("--verbose")) {
      // read by logback.xml, before anything logs
      System.setProperty("tsuzuku.log.level", "INFO");
      System.setProperty("tsuzuku.log.expected", "INFO");
    }
    var environment = System.getenv();
    var elsewhere = notOnThisMachine(environment);
    if (elsewhere.isPresent()) {
      System.err.println("tsuzuku local stack: " + elsewhere.get());
      System.exit(2);
    }
    var demo = flags.contains("--demo") || flags.contains("--demo-exit") || "true".equalsIgnoreCase(environment.get("TSUZUKU_DEMO"));
    var settings = settings(environment, demo);
    var dayLength = demoDay(environment);
    if (demo) {
      deleteRecursively(settings.dataDirectory()); // the demo's simulated time starts over, and so does its data
    }
    var demoClock = new SimulatedClock(DEMO_FIRST_CHARGE.minusDays(1).atTime(LocalTime.NOON).atZone(TOKYO).toInstant());
    Clock clock = demo ? demoClock : Clock.systemUTC();
    var starting = System.nanoTime();
    System.out.println("tsuzuku local stack: starting the servers (Kafka, schema registry, MongoDB-wire), data in " + settings.dataDirectory());
    // the stand-in identity provider: the services verify its tokens as a production provider's, and
    // the schema registry lets only its deployment client write
    var identity = LocalIdentityProvider.start(port(environment, "LOCAL_IDENTITY_PORT", 8095), DemoOrganisation.ORG,
        "admin@" + DemoOrganisation.ORG);
    EmbeddedInfrastructure infrastructure;
    try {
      infrastructure = EmbeddedInfrastructure.start(settings.guardedBy(
          new EmbeddedSchemaRegistry.Guard(identity.issuer(), LocalIdentityProvider.AUDIENCE, LocalIdentityProvider.SCHEMAS)));
    } catch (RuntimeException e) {
      identity.close();
      throw e;
    }
    var salesforce = FakeSalesforce.start(port(environment, "LOCAL_SALESFORCE_PORT", 8094));
    LocalSystem system;
    try {
      var endpoints = infrastructure.endpoints();
      // an external registry is written to as the environment says (RegistryCredentials), the one started here as the local client
      var deployment = infrastructure.external().contains(Endpoints.SCHEMA_REGISTRY_URL) ? RegistryCredentials.fromEnvironment(environment)
          : new RegistryCredentials(identity.tokenEndpoint(), LocalIdentityProvider.DEPLOYMENT_CLIENT, LocalIdentityProvider.DEPLOYMENT_SECRET);
      Deployment.prepare(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT), endpoints.schemaRegistryUrl(), deployment, EmbeddedKafkaBroker.PARTITIONS);
      System.out.println("tsuzuku local stack: starting the services");
      system = LocalSystem.start(infrastructure.endpoints(), clock, ports(environment), serviceSettings(demo, flags.contains("--verbose")),
          identity.issuer(), instances(environment));
    } catch (RuntimeException e) {
      identity.close();
      salesforce.close();
      infrastructure.close();
      throw e;
    }
    var stopped = new CountDownLatch(1);
    var demoThread = new Thread[1];
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("tsuzuku local stack: stopping");
      var stopping = System.nanoTime();
      if (demoThread[0] != null) {
        demoThread[0].interrupt();
      }
      system.close();
      identity.close();
      salesforce.close();
      infrastructure.close();
      System.out.printf("tsuzuku local stack: stopped (%.1f s)%n", (System.nanoTime() - stopping) / 1e9);
      stopped.countDown();
    }, "local-stack-stopper"));

    var token = identity.token(DemoOrganisation.ORG);
    var firstCharge = demo ? DEMO_FIRST_CHARGE : LocalDate.now(clock.withZone(TOKYO)).plusDays(1);
    DemoOrganisation.register(infrastructure.endpoints(), firstCharge, clock.instant());
    DemoOrganisation.configureSalesforce(system.url(Service.CRM_SYNC), DemoOrganisation.ORG, token, salesforce);
    banner(infrastructure, settings, system, salesforce, identity, (System.nanoTime() - starting) / 1e9, System.out);
    if (demo) {
      awaitRegistered(system.url(Service.STATUS), token);
      var story = new Demo(demoClock, firstCharge, infrastructure.endpoints(), system.url(Service.STATUS),
          system.url(Service.CRM_SYNC), () -> identity.token(DemoOrganisation.ORG), salesforce, dayLength, System.out);
      var exit = flags.contains("--demo-exit");
      demoThread[0] = new Thread(() -> {
        var status = 0;
        try {
          story.tell();
          System.out.println(exit ? "The demo has ended." : "Ctrl-C stops everything.");
        } catch (InterruptedException e) {
          return; // stopping
        } catch (RuntimeException e) {
          System.err.println("the demo stopped: " + e.getMessage());
          status = 1;
        }
        if (exit) {
          System.exit(status);
        }
      }, "demo");
      demoThread[0].start();
    }
    stopped.await();
  }

  /** The demo's time starts once the status-service knows every contract of the demo. */
  private static void awaitRegistered(String statusUrl, String token) throws InterruptedException {
    var expected = DemoOrganisation.contracts(DEMO_FIRST_CHARGE).size();
    for (int attempt = 0; attempt < 600; attempt++) {
      var body = DemoOrganisation.Http.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(statusUrl + "/api/orgs/" + DemoOrganisation.ORG + "/contracts?limit=100"))
          .header("Authorization", "Bearer " + token).GET().build());
      if (body.split("\"contractId\"", -1).length - 1 >= expected) {
        return;
      }
      Thread.sleep(100); // polling a starting system, not a test
    }
    throw new IllegalStateException("the demo's contracts did not reach the status-service within a minute");
  }

  /**
   * Why the local stack refuses the external servers the environment names, if it does: it runs
   * with the keys published in this repository and charges through a simulator, so it attaches
   * only to servers on this machine (every address of their hosts a loopback one), never to a
   * deployment's.
   */
  static java.util.Optional<String> notOnThisMachine(Map<String, String> environment) {
    for (var variable : List.of(Endpoints.KAFKA_BOOTSTRAP_SERVERS, Endpoints.SCHEMA_REGISTRY_URL, Endpoints.MONGODB_URI)) {
      var value = environment.get(variable);
      if (value == null || value.isBlank()) {
        continue;
      }
      for (var host : hosts(variable, value)) {
        if (!loopbackOnly(host)) {
          return java.util.Optional.of(variable + " names " + host + ", which is not this machine: the local stack runs with "
              + "published keys and a payment simulator, so it attaches only to servers on the loopback address "
              + "(compose.yaml or a deployment runs the services against shared servers)");
        }
      }
    }
    return java.util.Optional.empty();
  }

  /** The hosts of a bootstrap list ({@code host:port,…}) or of a URL (MongoDB's may list several). */
  private static List<String> hosts(String variable, String value) {
    var authority = value.trim();
    if (!variable.equals(Endpoints.KAFKA_BOOTSTRAP_SERVERS)) {
      authority = authority.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
      authority = authority.replaceFirst("[/?#].*$", "");
      authority = authority.substring(authority.lastIndexOf('@') + 1);
    }
    return java.util.Arrays.stream(authority.split(",")).map(String::trim).filter(part -> !part.isEmpty())
        .map(part -> part.startsWith("[") ? part.substring(1, part.indexOf(']')) : part.replaceFirst(":\\d*$", ""))
        .toList();
  }

  private static boolean loopbackOnly(String host) {
    try {
      return java.util.Arrays.stream(java.net.InetAddress.getAllByName(host)).allMatch(java.net.InetAddress::isLoopbackAddress);
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  static Settings settings(Map<String, String> environment, boolean demo) {
    var data = Path.of(environment.getOrDefault("TSUZUKU_DATA_DIR", ".local-stack-data")).toAbsolutePath();
    return Settings.kept(
        demo ? data.resolve("demo") : data,
        port(environment, "LOCAL_KAFKA_PORT", 9092),
        port(environment, "LOCAL_REGISTRY_PORT", 8081),
        port(environment, "LOCAL_MONGODB_PORT", 27017));
  }

  private static Map<Service, Integer> ports(Map<String, String> environment) {
    var ports = new java.util.EnumMap<Service, Integer>(Service.class);
    for (var service : Service.values()) {
      var variable = service.configName().toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_PORT";
      ports.put(service, port(environment, variable, service.defaultPort()));
    }
    return ports;
  }

  /**
   * Settings for every service: warnings only on the console (the banner and the demo's table are
   * what a person reads); with the demo's clock, the periodic work looks often enough that a
   * simulated day never passes unseen.
   */
  private static List<String> serviceSettings(boolean demo, boolean verbose) {
    var settings = new java.util.ArrayList<>(List.of(
        "logging.level.root=" + (verbose ? "INFO" : "WARN"),
        // topics are created on first use, and the MongoDB-wire server ignores secondary indexes: both say so at start
        "logging.level.org.apache.kafka.clients.NetworkClient=ERROR",
        "logging.level.de.bwaldvogel=ERROR"));
    if (demo) {
      // and a change goes to Salesforce at once: a batch's linger is measured on the demo's clock, which stands still
      settings.addAll(List.of("tsuzuku.billing.poll-interval=PT0.2S", "tsuzuku.retry.poll-interval=PT0.2S",
          "tsuzuku.status.plans.poll-interval=PT0.2S", "tsuzuku.status.first-failure-requests.poll-interval=PT0.2S",
          "tsuzuku.crm-sync.poll-interval=PT0.2S", "tsuzuku.crm-sync.linger=PT0S"));
    }
    return settings;
  }

  static void banner(EmbeddedInfrastructure infrastructure, Settings settings, LocalSystem system, FakeSalesforce salesforce,
      LocalIdentityProvider identity, double seconds, PrintStream out) {
    var status = system.url(Service.STATUS);
    out.println();
    out.printf("tsuzuku is up in %.0f s (data in %s)%n", seconds, settings.dataDirectory());
    out.println("  admin console                " + status + "/console/ (signs in admin@" + DemoOrganisation.ORG + " through the identity provider)");
    out.println("  admin API (status-service)   " + status + "/api/orgs/" + DemoOrganisation.ORG + "/contracts");
    out.println("  Salesforce sync (crm-sync)   " + system.url(Service.CRM_SYNC) + "/api/orgs/" + DemoOrganisation.ORG + "/salesforce");
    out.println("  retry-service                " + system.url(Service.RETRY) + "/actuator/health");
    out.println("  billing-service              " + system.url(Service.BILLING) + "/actuator/health (payment simulator)");
    out.println("  Salesforce stub org (demo)   " + salesforce.url() + "/ (the records it holds, read-only)");
    out.println("  identity provider (OIDC)     " + identity.issuer() + " (a stand-in; /.well-known/openid-configuration)");
    var instances = system.instances(Service.STATUS).size();
    if (instances > 1) {
      out.println("  (" + instances + " instances of each service; the others on the ports 100, 200, … above)");
    }
    infrastructure.describe().forEach(line -> out.println("  " + line));
    out.println();
    out.println("A token of the organisation '" + DemoOrganisation.ORG + "' (an hour; client_id=operator gives an operator's, for /actuator):");
    out.println("  export TOKEN=$(curl -s -d grant_type=client_credentials -d client_id=curl -d client_secret=local \\");
    out.println("    " + identity.tokenEndpoint() + " | sed -n 's/.*\"access_token\" *: *\"\\([^\"]*\\)\".*/\\1/p')");
    out.println("  curl -H \"Authorization: Bearer $TOKEN\" " + status + "/api/orgs/" + DemoOrganisation.ORG + "/contracts");
    var kafkaCredentials = infrastructure.endpoints().kafkaCredentials();
    if (kafkaCredentials != null) {
      out.println("Another team's Kafka client connects as its principal, SASL/SCRAM over TLS (here the analytics team's;");
      out.println("each team and service has its own, its password the file of its name in " + kafkaCredentials + "):");
      out.println("  security.protocol=SASL_SSL");
      out.println("  sasl.mechanism=" + KafkaAccess.MECHANISM);
      out.println("  sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"analytics\" password=\"<"
          + Path.of(kafkaCredentials, "analytics") + ">\";");
      out.println("  ssl.truststore.type=PEM");
      out.println("  ssl.truststore.location=" + Path.of(kafkaCredentials, KafkaAccess.TRUSTSTORE));
    }
    out.println("Everything listens on 127.0.0.1 only.");
    out.println("Press Ctrl-C to stop everything.");
    out.println();
    out.flush();
  }

  private static int port(Map<String, String> environment, String variable, int fallback) {
    var value = environment.get(variable);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(variable + " must be a port number, was '" + value + "'", e);
    }
  }

  /** TSUZUKU_INSTANCES: how many instances of each service (default 1; the next ones 100 ports above). */
  private static int instances(Map<String, String> environment) {
    var value = environment.getOrDefault("TSUZUKU_INSTANCES", "1").trim();
    try {
      var instances = Integer.parseInt(value);
      if (instances >= 1 && instances <= 9) {
        return instances;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("TSUZUKU_INSTANCES must be from 1 to 9, was '" + value + "'");
  }

  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (var paths = Files.walk(directory)) {
      for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the demo's data in " + directory, e);
    }
  }

  /** TSUZUKU_DEMO_DAY: how long a day of the demo takes at least (default a second; PT0S: as fast as the system settles). */
  private static Duration demoDay(Map<String, String> environment) {
    var value = environment.getOrDefault("TSUZUKU_DEMO_DAY", "PT1S").trim();
    try {
      return Duration.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("TSUZUKU_DEMO_DAY must be an ISO-8601 duration such as PT1S, was '" + value + "'", e);
    }
  }

}
