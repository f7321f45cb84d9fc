package io.tsuzuku.systemtests;

import io.tsuzuku.standins.LocalSealingKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.localstack.DemoOrganisation;
import io.tsuzuku.localstack.LocalSystem;
import io.tsuzuku.localstack.LocalSystem.Service;
import io.tsuzuku.standins.FakeSalesforce;
import io.tsuzuku.standins.LocalTokens;
import io.tsuzuku.testkit.MovableClock;
import io.tsuzuku.testkit.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The two instances of every service a month-end runs on ({@link MonthEnd}): in this JVM on the
 * system tests' clock, which the run moves; or each instance in a process of its own from its
 * executable jar, its heap capped at the goal of 256 MB, on the machine's clock, so that each
 * service's memory and CPU are its own to measure.
 */
sealed interface MonthEndServices extends AutoCloseable {

  ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

  /** The two, in this JVM on the system tests' clock, or each in a process of its own. */
  static MonthEndServices start(Endpoints endpoints, boolean inProcesses) {
    return inProcesses ? InProcesses.start(endpoints) : InOneJvm.start(endpoints);
  }

  /** Where the services run, as the figures say it. */
  String where();

  /** The day the month-end's contracts fall due (in Tokyo); its billing run has not begun. */
  LocalDate chargeDay();

  /** The services' time now. */
  Instant now();

  /** Configures {@code orgId}'s Salesforce mapping through the crm-sync-service's API. */
  void configureSalesforce(String orgId, FakeSalesforce salesforce);

  /** The billing run's hour comes on the charge day. */
  void startBillingRun();

  /** Called while a stage waits: the services' time moves on with the time that passed. */
  void tick();

  /** The store commands each service's instances sent so far, by command and collection (their MongoDB drivers' count). */
  Map<Service, Map<String, Long>> storeCommands();

  /** The CPU seconds this JVM and the services used so far. */
  double cpuSeconds();

  /** Each service's heap in use now; empty where the services share one heap. */
  String heap();

  /** What to know after the run: each instance's memory (or the one JVM's), and how the run began. */
  List<String> afterTheRun();

  @Override
  void close();

  /** Adds {@code count} to what {@code counts} holds for the command on the collection. */
  private static void add(Map<String, Long> counts, String command, String collection, long count) {
    counts.merge(command + " " + collection, count, Long::sum);
  }

  /** Every instance in an application context of this JVM ({@link LocalSystem}), on the system tests' clock. */
  record InOneJvm(LocalSystem system, MovableClock clock, LocalDate chargeDay) implements MonthEndServices {

    private static final LocalTime BILLING_RUN = LocalTime.of(9, 0);

    static InOneJvm start(Endpoints endpoints) {
      // the system tests' one clock, which only moves forward: the services' stores hold leases and
      // claims in its time, which another clock behind it would take for the future
      var clock = Journeys.CLOCK;
      var chargeDay = LocalDate.now(clock.withZone(TOKYO)).plusDays(1);
      clock.set(chargeDay.atTime(6, 0).atZone(TOKYO).toInstant());
      var ports = new EnumMap<Service, Integer>(Service.class);
      for (var service : Service.values()) {
        ports.put(service, 0);
      }
      var system = LocalSystem.start(endpoints, clock, ports, List.of("tsuzuku.billing.poll-interval=PT0.2S",
          "tsuzuku.retry.poll-interval=PT0.2S", "tsuzuku.status.relay.interval=PT0.2S", "logging.level.org.apache.kafka=WARN",
          "logging.level.root=WARN"), Journeys.IDENTITY.issuer(), 2);
      return new InOneJvm(system, clock, chargeDay);
    }

    @Override
    public String where() {
      return "in one JVM";
    }

    @Override
    public Instant now() {
      return clock.instant();
    }

    @Override
    public void configureSalesforce(String orgId, FakeSalesforce salesforce) {
      DemoOrganisation.configureSalesforce(system.url(Service.CRM_SYNC), orgId, Journeys.IDENTITY.token(orgId), salesforce);
    }

    @Override
    public void startBillingRun() {
      clock.set(chargeDay.atTime(BILLING_RUN).atZone(TOKYO).toInstant());
    }

    @Override
    public void tick() {
      clock.advance(Duration.ofSeconds(1));
    }

    @Override
    public Map<Service, Map<String, Long>> storeCommands() {
      var commands = new LinkedHashMap<Service, Map<String, Long>>();
      for (var service : Service.values()) {
        var counts = new TreeMap<String, Long>();
        system.instances(service).stream()
            .flatMap(instance -> instance.getBean(MeterRegistry.class).find("mongodb.driver.commands").timers().stream())
            .forEach(timer -> add(counts, timer.getId().getTag("command"), timer.getId().getTag("collection"), timer.count()));
        commands.put(service, counts);
      }
      return commands;
    }

    @Override
    public double cpuSeconds() {
      return thisJvmsCpuSeconds();
    }

    @Override
    public String heap() {
      return "";
    }

    @Override
    public List<String> afterTheRun() {
      var memory = ManagementFactory.getMemoryMXBean();
      memory.gc();
      return List.of(String.format("after the run, heap used %d MB after a full collection (every instance of every service, the broker "
          + "and the wire server: one JVM; --processes measures each service apart)", memory.getHeapMemoryUsage().getUsed() >> 20));
    }

    @Override
    public void close() {
      system.close();
    }
  }

  /**
   * Each instance in a process of its own from its service's executable jar (built by {@code
   * ./mvnw -B -q install -DskipTests}), heap capped at 256 MB, on the machine's clock: the
   * contracts fall due today; billing learns them with its run set for the day's last second, then
   * its instances start again with the run's hour passed (their start counts in the run's stages).
   */
  final class InProcesses implements MonthEndServices {

    private static final String HEAP = "256m";
    private static final String JWT_SECRET = "month-end-signing-key-of-at-least-32-bytes";
    private static final Pattern COMMANDS = Pattern.compile("^mongodb_driver_commands_seconds_count\\{(.*)} (\\S+)$");
    private static final Pattern TAG = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final Endpoints endpoints;
    private final Map<Service, List<ServiceProcess>> processes = new EnumMap<>(Service.class);
    /** What the instances stopped so far had counted: their store commands and CPU time. */
    private final Map<Service, Map<String, Long>> stoppedCommands = new EnumMap<>(Service.class);
    private double stoppedCpuSeconds;
    private Duration billingStart = Duration.ZERO;
    private final HttpClient http = HttpClient.newHttpClient();
    private final LocalDate chargeDay = LocalDate.now(TOKYO);

    private InProcesses(Endpoints endpoints) {
      this.endpoints = endpoints;
    }

    static InProcesses start(Endpoints endpoints) {
      if (LocalTime.now(TOKYO).isAfter(LocalTime.of(23, 0))) { // the day would end before billing learnt every contract
        throw new IllegalStateException("the month-end in processes holds billing's run back until the day's last second "
            + "in Tokyo: start it before 23:00 there (14:00 UTC)");
      }
      var services = new InProcesses(endpoints);
      try {
        for (var service : Service.values()) {
          services.stoppedCommands.put(service, new TreeMap<>());
          services.processes.put(service, services.startInstances(service, "23:59:59"));
        }
        return services;
      } catch (RuntimeException e) {
        services.close();
        throw e;
      }
    }

    private List<ServiceProcess> startInstances(Service service, String billingRunAt) {
      // as quiet as the instances in one JVM, but for Spring Boot's lines of the start (its port, "Started")
      var arguments = new ArrayList<>(List.of("--tsuzuku.billing.payment-method-keys=" + LocalSealingKeys.BILLING,
        "--tsuzuku.billing.repayment-link-keys=" + LocalSealingKeys.REPAYMENT_LINK_PUBLIC,
          "--tsuzuku.status.supporter-keys=" + LocalSealingKeys.STATUS,
        "--tsuzuku.status.repayment-link-key=" + LocalSealingKeys.REPAYMENT_LINK, "--tsuzuku.security.jwt-secret=" + JWT_SECRET, "--logging.level.root=WARN",
          "--logging.level.org.springframework.boot=INFO", "--logging.level." + service.application().getName() + "=INFO"));
      switch (service) {
        case STATUS -> arguments.add("--tsuzuku.status.relay.interval=PT0.2S");
        case RETRY -> arguments.add("--tsuzuku.retry.poll-interval=PT0.2S");
        case BILLING -> arguments.addAll(List.of("--tsuzuku.billing.processor=simulator", "--tsuzuku.billing.poll-interval=PT0.2S",
            "--tsuzuku.billing.run-at=" + billingRunAt));
        case CRM_SYNC -> arguments.addAll(List.of("--tsuzuku.crm-sync.salesforce.allowed-login-urls=http://127.0.0.1:*",
            "--tsuzuku.crm-sync.secrets-key=month-end-secrets-key-of-at-least-32-bytes"));
      }
      var instances = new ArrayList<ServiceProcess>();
      try {
        for (int instance = 0; instance < 2; instance++) {
          instances.add(ServiceProcess.start(service.configName(), HEAP, endpoints, arguments));
        }
        return instances;
      } catch (IOException | RuntimeException e) { // no process outlives the run: the first may have started
        instances.forEach(ServiceProcess::close);
        throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
      }
    }

    @Override
    public String where() {
      return "each in a process of its own (-Xmx" + HEAP + ")";
    }

    @Override
    public LocalDate chargeDay() {
      return chargeDay;
    }

    @Override
    public Instant now() {
      return Instant.now();
    }

    @Override
    public void configureSalesforce(String orgId, FakeSalesforce salesforce) {
      DemoOrganisation.configureSalesforce(url(processes.get(Service.CRM_SYNC).get(0)), orgId,
          LocalTokens.mint(JWT_SECRET, orgId, "admin@" + orgId, Instant.now(), Duration.ofHours(1)), salesforce);
    }

    @Override
    public void startBillingRun() {
      var commands = storeCommands().get(Service.BILLING);
      stoppedCommands.put(Service.BILLING, new TreeMap<>(commands));
      for (var instance : processes.get(Service.BILLING)) {
        stoppedCpuSeconds += instance.cpuTime().toNanos() / 1e9;
        instance.close();
      }
      var starting = System.nanoTime();
      processes.put(Service.BILLING, startInstances(Service.BILLING, "00:00"));
      billingStart = Duration.ofNanos(System.nanoTime() - starting);
    }

    @Override
    public void tick() {}

    @Override
    public Map<Service, Map<String, Long>> storeCommands() {
      var commands = new LinkedHashMap<Service, Map<String, Long>>();
      processes.forEach((service, instances) -> {
        var counts = new TreeMap<>(stoppedCommands.get(service));
        instances.forEach(instance -> scrape(instance).forEach((key, count) -> counts.merge(key, count, Long::sum)));
        commands.put(service, counts);
      });
      return commands;
    }

    /** An instance's store commands, by command and collection, from its Prometheus endpoint. */
    private Map<String, Long> scrape(ServiceProcess instance) {
      var token = LocalTokens.mint(JWT_SECRET, "operators", "month-end", Instant.now(), Duration.ofMinutes(5), LocalTokens.OPERATIONS);
      try {
        var response = http.send(HttpRequest.newBuilder(URI.create(url(instance) + "/actuator/prometheus"))
            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
          throw new IllegalStateException("an instance's Prometheus endpoint answered " + response.statusCode());
        }
        var counts = new TreeMap<String, Long>();
        response.body().map(COMMANDS::matcher).filter(java.util.regex.Matcher::matches).forEach(line -> {
          var tags = TAG.matcher(line.group(1)).results().collect(Collectors.toMap(tag -> tag.group(1), tag -> tag.group(2),
              (first, second) -> first));
          add(counts, tags.get("command"), tags.get("collection"), (long) Double.parseDouble(line.group(2)));
        });
        return counts;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private static String url(ServiceProcess instance) {
      try {
        return "http://127.0.0.1:" + instance.port();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public double cpuSeconds() {
      return thisJvmsCpuSeconds() + stoppedCpuSeconds + processes.values().stream().flatMap(List::stream)
          .mapToDouble(instance -> instance.cpuTime().toNanos() / 1e9).sum();
    }

    @Override
    public String heap() {
      var heap = new StringBuilder();
      processes.forEach((service, instances) -> {
        heap.append(heap.isEmpty() ? "" : "; ").append(service.configName());
        heap.append(instances.stream().map(instance -> {
          try {
            var used = instance.heapUsedMb();
            return used < 0 ? "unknown" : Long.toString(used);
          } catch (IOException e) {
            return "unknown";
          }
        }).collect(Collectors.joining(" and ", " ", " MB")));
      });
      return heap.toString();
    }

    @Override
    public List<String> afterTheRun() {
      var lines = new ArrayList<String>();
      lines.add(String.format("the billing instances' start with the run's hour passed took %.1f s, counted in the billing "
          + "run's stages", billingStart.toNanos() / 1e9));
      processes.values().stream().flatMap(List::stream).forEach(instance -> {
        try {
          lines.add("after the run, " + instance.memory());
        } catch (IOException e) {
          lines.add("unknown: " + e.getMessage());
        }
      });
      return lines;
    }

    @Override
    public void close() {
      processes.values().stream().flatMap(List::stream).forEach(ServiceProcess::close);
    }
  }

  private static double thisJvmsCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }
}
