package io.tsuzuku.systemtests.benchmark;

import io.tsuzuku.standins.LocalSealingKeys;
import io.tsuzuku.schemas.KafkaAccess;
import com.mongodb.client.MongoClients;
import io.tsuzuku.deployment.Deployment;
import io.tsuzuku.events.BillingInterval;
import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.ContractStatus;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.StatusChangeReason;
import io.tsuzuku.events.Supporter;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure;
import io.tsuzuku.infra.embedded.EmbeddedKafkaBroker;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.localstack.DemoOrganisation;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topics;
import io.tsuzuku.standins.FakeSalesforce;
import io.tsuzuku.standins.LocalTokens;
import io.tsuzuku.testkit.ServiceProcess;
import io.tsuzuku.testkit.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.bson.Document;

/**
 * Prints the heap and resident memory of the status-, billing- and crm-sync-service, each in a
 * process of its own from its executable jar with the heap capped at the goal of 256 MB, after a
 * load of {@code contracts} contracts (default 20,000) on the real broker and registry and the
 * in-memory MongoDB-wire server (the retry-service's: {@code RetryDispatchBenchmark --processes}).
 * The status-service applies a registration and a failed charge a contract; the billing-service
 * learns the contracts, then charges them all in its daily run (through its payment simulator);
 * the crm-sync-service writes a status a contract to a stub Salesforce org. A benchmark, not a test:
 *
 * <pre>
 * ./mvnw -q -pl status-service,billing-service,crm-sync-service package -DskipTests
 * ./mvnw -q -pl system-tests test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.tsuzuku.systemtests.benchmark.ServiceMemoryBenchmark [-Dexec.args="20000"]
 * </pre>
 */
public final class ServiceMemoryBenchmark {

  private static final String HEAP = "256m";
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final String JWT_SECRET = "benchmark-signing-key-of-at-least-32-bytes";

  private ServiceMemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    var contracts = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    var run = "mem-" + UUID.randomUUID().toString().substring(0, 8);
    try (var servers = EmbeddedInfrastructure.start(EmbeddedInfrastructure.Settings.forTests());
        var client = MongoClients.create(servers.endpoints().mongoUri())) {
      var endpoints = servers.endpoints();
      Deployment.prepare(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT), endpoints.schemaRegistryUrl(), EmbeddedKafkaBroker.PARTITIONS);
      var today = LocalDate.now(TOKYO);

      // billing learns the contracts with its run later in the day, then charges them in a run of its own
      var billed = run + "-b";
      TestEvents.sendMany(endpoints, contracts, i -> registration(billed, i, today));
      var billingSettings = settings(run, "billing");
      billingSettings.addAll(List.of("--tsuzuku.billing.processor=simulator", "--tsuzuku.billing.poll-interval=PT1S"));
      var books = client.getDatabase(run + "-billing").getCollection("billed_contracts");
      try (var billing = ServiceProcess.start("billing-service", HEAP, endpoints, with(billingSettings, "--tsuzuku.billing.run-at=23:59:59"))) {
        await(() -> books.countDocuments(), contracts);
        System.out.println(billing.memory() + " (" + contracts + " contracts learnt)");
      }
      try (var outcomes = consumer(endpoints, run);
          var billing = ServiceProcess.start("billing-service", HEAP, endpoints, with(billingSettings, "--tsuzuku.billing.run-at=00:00"))) {
        var charged = new HashSet<String>();
        Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ZERO).until(() -> {
          outcomes.poll(Duration.ofMillis(500)).forEach(r -> {
            if (r.value() instanceof PaymentSucceeded succeeded && r.key().startsWith(billed)) {
              charged.add(succeeded.getAttemptId());
            }
          });
          return charged.size() >= contracts;
        });
        System.out.println(billing.memory() + " (" + contracts + " contracts charged in one run)");
      }

      // the status-service reads everything so far too: the billing's contracts and their charges
      var failing = run + "-s";
      TestEvents.sendMany(endpoints, contracts, i -> registration(failing, i, today));
      try (var status = ServiceProcess.start("status-service", HEAP, endpoints, settings(run, "status"))) {
        var stored = client.getDatabase(run + "-status").getCollection("contracts");
        await(() -> stored.countDocuments(), 2L * contracts);
        TestEvents.sendMany(endpoints, contracts, i -> failure(failing, i, today));
        await(() -> stored.countDocuments(new Document("status", "RETRYING")), contracts);
        System.out.println(status.memory() + " (" + 2 * contracts + " registrations, " + contracts + " charges and "
            + contracts + " failures applied)");
      }

      try (var salesforce = FakeSalesforce.start();
          var crmSync = ServiceProcess.start("crm-sync-service", HEAP, endpoints, with(settings(run, "crm-sync"),
              "--tsuzuku.crm-sync.salesforce.allowed-login-urls=http://127.0.0.1:*",
              "--tsuzuku.crm-sync.secrets-key=benchmark-secrets-key-of-at-least-32-bytes"))) {
        var port = crmSync.log().lines().filter(l -> l.contains("Netty started on port")).findFirst()
            .map(l -> l.replaceAll(".*Netty started on port (\\d+).*", "$1")).orElseThrow();
        var org = "org-" + run + "-crm"; // of its own: the snapshots the status-service published are another org's
        DemoOrganisation.configureSalesforce("http://127.0.0.1:" + port, org,
            LocalTokens.mint(JWT_SECRET, org, "admin@" + org, Instant.now(), Duration.ofHours(1)), salesforce);
        TestEvents.sendMany(endpoints, contracts, i -> statusChanged(run + "-c", org, i));
        await(() -> salesforce.recordCountFor(run + "-c"), contracts);
        System.out.println(crmSync.memory() + " (" + contracts + " records written to Salesforce)");
      }
    }
  }

  private static List<String> settings(String run, String service) {
    return new java.util.ArrayList<>(List.of("--spring.mongodb.database=" + run + "-" + service,
        "--spring.kafka.consumer.group-id=" + service + "-" + run, "--tsuzuku.security.jwt-secret=" + JWT_SECRET,
        "--tsuzuku.billing.payment-method-keys=" + LocalSealingKeys.BILLING,
        "--tsuzuku.billing.repayment-link-keys=" + LocalSealingKeys.REPAYMENT_LINK_PUBLIC, "--tsuzuku.status.supporter-keys=" + LocalSealingKeys.STATUS,
        "--tsuzuku.status.repayment-link-key=" + LocalSealingKeys.REPAYMENT_LINK));
  }

  private static List<String> with(List<String> settings, String... more) {
    var all = new java.util.ArrayList<>(settings);
    all.addAll(List.of(more));
    return all;
  }

  private static void await(LongSupplier done, long count) {
    Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(1)).until(() -> done.getAsLong() >= count);
  }

  private static KafkaConsumer<String, Object> consumer(Endpoints endpoints, String run) {
    var settings = new HashMap<String, Object>(AvroSerdes.consumerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, "count-" + run);
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    var consumer = new KafkaConsumer<String, Object>(settings);
    consumer.subscribe(List.of(Topics.PAYMENT_OUTCOMES.name()));
    return consumer;
  }

  private static ContractRegistered registration(String run, int i, LocalDate firstCharge) {
    var id = run + "-" + i;
    return LocalSealingKeys.sealed(ContractRegistered.newBuilder().setHeader(header(run, id))
        .setSupporter(Supporter.newBuilder().setSupporterId("s-" + id).setName("支援者").setEmail(id + "@example.org").build())
        .setAmountYen(3_000).setInterval(BillingInterval.MONTHLY).setAnchorDay(firstCharge.getDayOfMonth())
        .setFirstChargeOn(firstCharge).setAppliedOn(LocalDate.of(2026, 4, 1)).setCohort(Cohort.CURRENT)
        .setPaymentMethodToken("tok_visa").build());
  }

  private static PaymentFailed failure(String run, int i, LocalDate period) {
    var id = run + "-" + i;
    return PaymentFailed.newBuilder().setHeader(header(run, id)).setAttemptId(id + ":" + period + ":SCHEDULED:0")
        .setKind(ChargeKind.SCHEDULED).setAttemptNumber(0).setPeriod(period).setAmountYen(3_000)
        .setFailureCode("insufficient_funds").setFailureClass(FailureClass.SOFT_DECLINE).build();
  }

  private static ContractStatusChanged statusChanged(String run, String org, int i) {
    var id = run + "-" + i;
    return ContractStatusChanged.newBuilder().setHeader(EventHeader.newBuilder().setEventId(UUID.randomUUID().toString())
            .setOrgId(org).setContractId(id).setOccurredAt(Instant.now()).build())
        .setFrom(ContractStatus.ACTIVE).setTo(ContractStatus.RETRYING).setReason(StatusChangeReason.SCHEDULED_CHARGE_FAILED)
        .setStatusSince(Instant.now()).setCohort(Cohort.CURRENT).setAmountYen(3_000).setVersion(2).build();
  }

  private static EventHeader header(String run, String contractId) {
    return EventHeader.newBuilder().setEventId(UUID.randomUUID().toString()).setOrgId("org-" + run).setContractId(contractId)
        .setOccurredAt(Instant.now()).build();
  }
}
