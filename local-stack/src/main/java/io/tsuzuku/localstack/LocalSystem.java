package io.tsuzuku.localstack;

import io.tsuzuku.billing.BillingServiceApplication;
import io.tsuzuku.crmsync.CrmSyncServiceApplication;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.standins.LocalIdentityProvider;
import io.tsuzuku.standins.LocalSealingKeys;
import io.tsuzuku.retry.RetryServiceApplication;
import io.tsuzuku.status.StatusServiceApplication;
import io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.function.IntFunction;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The four services in one JVM, each in an application context of its own with its own settings
 * file ({@code spring.config.name}), its own port, MongoDB database and consumer group, all on
 * the same servers and reading one clock: the system's, the demo's simulated one, or a test's.
 * One JVM keeps the local stack within a laptop's memory and lets a test move one clock for all.
 *
 * <p>Each service may run as several instances: separate application contexts of the same service,
 * with the same database and consumer group (Kafka shares the partitions out among them; leases
 * and claims share the rest), on ports of their own (the first on the service's port, the next
 * 100 above, or free ports), sharing the one payment simulator as instances share a processor.
 */
public final class LocalSystem implements AutoCloseable {

  /** The services (they start in {@link #START_ORDER}). */
  public enum Service {
    STATUS("status-service", StatusServiceApplication.class, 8080),
    RETRY("retry-service", RetryServiceApplication.class, 8092),
    BILLING("billing-service", BillingServiceApplication.class, 8091),
    CRM_SYNC("crm-sync-service", CrmSyncServiceApplication.class, 8093);

    private final String configName;
    private final Class<?> application;
    private final int defaultPort;

    Service(String configName, Class<?> application, int defaultPort) {
      this.configName = configName;
      this.application = application;
      this.defaultPort = defaultPort;
    }

    public String configName() {
      return configName;
    }

    public int defaultPort() {
      return defaultPort;
    }

    public Class<?> application() {
      return application;
    }
  }

  private final Map<Service, List<ConfigurableApplicationContext>> contexts;
  /** How each service's instance {@code n} starts. */
  private final Map<Service, IntFunction<ConfigurableApplicationContext>> starters;

  /**
   * The crm-sync-service first, as the status-service's console is told its address; then the
   * status-service, whose events the others read (every topic is declared before any starts).
   */
  private static final List<Service> START_ORDER = List.of(Service.CRM_SYNC, Service.STATUS, Service.RETRY, Service.BILLING);

  /** The payment simulator every billing instance charges through; null with one instance. */
  private final SimulatedPaymentProcessor.Shared simulator;

  private LocalSystem(Map<Service, List<ConfigurableApplicationContext>> contexts,
      Map<Service, IntFunction<ConfigurableApplicationContext>> starters, SimulatedPaymentProcessor.Shared simulator) {
    this.contexts = contexts;
    this.starters = starters;
    this.simulator = simulator;
  }

  /** The key that encrypts the Salesforce client secrets of the local stack's data (this machine only). */
  static final String LOCAL_SECRETS_KEY = "local-stack-secrets-key-change-me-0123456789";

  /**
   * Starts {@code instances} of every service in this JVM, each in an application context of its
   * own, all on {@code clock}, against the servers of {@code endpoints}.
   *
   * @param ports each service's port (0: a free one); a service missing here gets its default
   * @param settings more settings for every service ({@code key=value}, as on a command line)
   * @param issuer the identity provider whose tokens every service verifies (its issuer URL:
   *     discovery, JWK set, {@code iss}), with the audience {@link LocalIdentityProvider#AUDIENCE}
   * @param instances how many instances of each service
   */
  public static LocalSystem start(
      Endpoints endpoints, Clock clock, Map<Service, Integer> ports, List<String> settings, String issuer, int instances) {
    if (instances < 1) {
      throw new IllegalArgumentException("at least one instance of each service");
    }
    var contexts = new EnumMap<Service, List<ConfigurableApplicationContext>>(Service.class);
    var starters = new EnumMap<Service, IntFunction<ConfigurableApplicationContext>>(Service.class);
    // several billing instances charge through one simulator (without latency), as they would share
    // a processor; one instance makes its own, with its settings
    var simulator = instances == 1 ? null
        : new SimulatedPaymentProcessor.Shared(new SimulatedPaymentProcessor(clock, ZoneId.of("Asia/Tokyo"), Duration.ZERO));
    try {
      for (var service : START_ORDER) {
        starters.put(service, instance -> {
          var port = ports.getOrDefault(service, service.defaultPort);
          var args = new ArrayList<String>();
          args.add("--spring.config.name=" + service.configName);
          args.add("--server.port=" + (port == 0 ? 0 : port + 100 * instance));
          args.add("--spring.main.banner-mode=off");
          // this machine only: the local stack's keys are published, and its processor a simulator
          args.add("--server.address=127.0.0.1");
          endpoints.asEnvironment().forEach((name, value) -> args.add("--" + name + "=" + value));
          // tokens verified as in production: the identity provider's issuer, keys and audience
          args.add("--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer);
          args.add("--tsuzuku.security.audience=" + LocalIdentityProvider.AUDIENCE);
          if (service == Service.CRM_SYNC) {
            // the local stack's stub orgs run on the loopback address; its secrets key serves this machine only
            args.add("--tsuzuku.crm-sync.salesforce.allowed-login-urls=http://127.0.0.1:*");
            args.add("--tsuzuku.crm-sync.secrets-key=" + LOCAL_SECRETS_KEY);
            // the console's Salesforce page calls this service's API from the browser
            args.add("--tsuzuku.security.console-origins=http://127.0.0.1:*,http://localhost:*");
          }
          if (service == Service.STATUS) {
            args.add("--tsuzuku.status.supporter-keys=" + LocalSealingKeys.STATUS);
            args.add("--tsuzuku.status.repayment-link-key=" + LocalSealingKeys.REPAYMENT_LINK);
            args.add("--tsuzuku.admin.console.salesforce-api=" + url(contexts.get(Service.CRM_SYNC).get(0)));
            // the console signs its administrators in through the identity provider (code flow, PKCE)
            args.add("--tsuzuku.admin.console.issuer=" + issuer);
            args.add("--tsuzuku.admin.console.client-id=" + LocalIdentityProvider.CONSOLE_CLIENT);
          }
          if (service == Service.BILLING) {
            // the donation forms seal the tokens with the published local key pair (LocalSealingKeys)
            args.add("--tsuzuku.billing.payment-method-keys=" + LocalSealingKeys.BILLING);
            args.add("--tsuzuku.billing.repayment-link-keys=" + LocalSealingKeys.REPAYMENT_LINK_PUBLIC);
            // the local stack, and only it, charges through the payment simulator, for both cohorts
            args.add("--tsuzuku.billing.processor=simulator");
            args.add("--tsuzuku.billing.legacy-processor=simulator");
          }
          settings.forEach(setting -> args.add("--" + setting));
          return new SpringApplicationBuilder(service.application)
              .initializers(context -> {
                context.getBeanFactory().registerSingleton("sharedClock", clock);
                if (service == Service.BILLING && simulator != null) {
                  context.getBeanFactory().registerSingleton("sharedPaymentSimulator", simulator);
                }
              })
              // the local stack closes the services itself, before the servers they talk to
              .registerShutdownHook(false)
              .run(args.toArray(String[]::new));
        });
        contexts.put(service, new ArrayList<>());
        for (int instance = 0; instance < instances; instance++) {
          contexts.get(service).add(starters.get(service).apply(instance));
        }
      }
    } catch (RuntimeException e) {
      new LocalSystem(contexts, starters, simulator).close();
      throw e;
    }
    return new LocalSystem(contexts, starters, simulator);
  }

  /**
   * Closes instance {@code instance} of the service at once, with whatever it had in hand, and
   * starts it again, as a process that died and was restarted.
   */
  public void restart(Service service, int instance) {
    contexts.get(service).get(instance).close();
    contexts.get(service).set(instance, starters.get(service).apply(instance));
  }

  /** The payment simulator the billing instances share, with its own ledger (several instances only). */
  public SimulatedPaymentProcessor paymentSimulator() {
    if (simulator == null) {
      throw new IllegalStateException("one billing instance keeps its own simulator: start several to share one");
    }
    return simulator.processor();
  }

  /** The service's first instance. */
  public ConfigurableApplicationContext context(Service service) {
    return contexts.get(service).get(0);
  }

  /** Every instance of the service, the first first. */
  public List<ConfigurableApplicationContext> instances(Service service) {
    return List.copyOf(contexts.get(service));
  }

  /** The address of the service's first instance. */
  public String url(Service service) {
    return url(context(service));
  }

  public static String url(ConfigurableApplicationContext instance) {
    return "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port");
  }

  /** Closes the services in the reverse order of their start. */
  @Override
  public void close() {
    var services = new ArrayList<>(START_ORDER);
    java.util.Collections.reverse(services);
    services.stream().filter(contexts::containsKey)
        .forEach(service -> contexts.get(service).forEach(ConfigurableApplicationContext::close));
  }
}
