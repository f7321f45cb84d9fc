package io.tsuzuku.status.benchmark;

import io.tsuzuku.standins.LocalSealingKeys;
import io.tsuzuku.schemas.KafkaAccess;
import com.mongodb.client.MongoClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.tsuzuku.deployment.Deployment;
import io.tsuzuku.events.BillingInterval;
import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.Supporter;
import io.tsuzuku.infra.embedded.EmbeddedInfrastructure;
import io.tsuzuku.infra.embedded.EmbeddedKafkaBroker;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topics;
import io.tsuzuku.status.StatusServiceApplication;
import io.tsuzuku.testkit.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.bson.Document;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Prints how fast the status-service applies {@code PaymentFailed} records, as a share of a bare
 * Kafka consumer that only decodes the same records in the same run (the goal: at least 25 %):
 * {@code contracts} contracts registered, then one failed scheduled charge each, on the real
 * broker and registry and the in-memory MongoDB-wire server, the service as it runs (its
 * listeners, its store, its outbox relay publishing every snapshot). A benchmark, not a test:
 *
 * <pre>
 * ./mvnw -q -pl status-service test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.tsuzuku.status.benchmark.StatusApplyBenchmark [-Dexec.args="2000"]
 * </pre>
 *
 * <p>Settings of the service to try follow the count, for example {@code -Dexec.args="2000
 * --spring.kafka.listener.concurrency=3"} (a consumer a partition: 449 a second against 383 with
 * one, within the noise of two cores).
 */
public final class StatusApplyBenchmark {

  private static final LocalDate PERIOD = LocalDate.of(2027, 2, 1);

  private StatusApplyBenchmark() {}

  public static void main(String[] args) {
    var contracts = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    var run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    try (var servers = EmbeddedInfrastructure.start(EmbeddedInfrastructure.Settings.forTests())) {
      var endpoints = servers.endpoints();
      Deployment.prepare(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT), endpoints.schemaRegistryUrl(), EmbeddedKafkaBroker.PARTITIONS);
      var arguments = new ArrayList<>(List.of("--spring.config.name=status-service", "--server.port=0",
          "--spring.main.banner-mode=off", "--logging.level.root=WARN", "--spring.mongodb.database=" + run,
          "--spring.kafka.consumer.group-id=status-service-" + run, "--tsuzuku.security.jwt-secret=benchmark-signing-key-of-at-least-32-bytes",
          "--tsuzuku.status.supporter-keys=" + LocalSealingKeys.STATUS,
        "--tsuzuku.status.repayment-link-key=" + LocalSealingKeys.REPAYMENT_LINK));
      endpoints.asEnvironment().forEach((name, value) -> arguments.add("--" + name + "=" + value));
      arguments.addAll(List.of(args).subList(Math.min(1, args.length), args.length)); // settings to try, after the count
      try (var service = new SpringApplicationBuilder(StatusServiceApplication.class).run(arguments.toArray(String[]::new));
          var client = MongoClients.create(endpoints.mongoUri())) {
        var stored = client.getDatabase(run).getCollection("contracts");

        // counted by the service's own measure of events applied (a count of the store would scan it)
        var meters = service.getBean(MeterRegistry.class);
        var registered = timed(endpoints, contracts, i -> registration(run, i), () -> applied(meters, Topics.CONTRACT_REGISTERED));
        System.out.printf("%,d registrations applied in %.1f s: %,.0f a second%n", contracts, registered, contracts / registered);

        var applied = timed(endpoints, contracts, i -> failure(run, i), () -> applied(meters, Topics.PAYMENT_OUTCOMES));
        var appliedRate = contracts / applied;
        var retrying = stored.countDocuments(new Document("status", "RETRYING"));
        if (retrying != contracts) {
          throw new IllegalStateException(retrying + " contracts RETRYING, expected " + contracts);
        }
        System.out.printf("%,d PaymentFailed applied (each contract RETRYING, its snapshot in the outbox) in %.1f s: %,.0f a second%n",
            contracts, applied, appliedRate);

        var decodedRate = bareConsumer(endpoints, contracts);
        System.out.printf("a bare consumer decodes the same records at %,.0f a second; the service reaches %.2f %% of it "
            + "(goal: 25 %%)%n", decodedRate, appliedRate / decodedRate * 100);
      }
    }
  }

  private static long applied(MeterRegistry meters, io.tsuzuku.schemas.Topic<?> topic) {
    var timer = meters.find("tsuzuku.event.applied").tag("topic", topic.name()).timer();
    return timer == null ? 0 : timer.count();
  }

  /** Sends {@code count} records, then waits until {@code done} counts them all; the seconds it took. */
  private static double timed(Endpoints endpoints, int count, java.util.function.IntFunction<SpecificRecord> record,
      LongSupplier done) {
    var started = System.nanoTime();
    TestEvents.sendMany(endpoints, count, record);
    org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> done.getAsLong() >= count);
    return (System.nanoTime() - started) / 1e9;
  }

  /** How many of the run's PaymentFailed records a consumer that only decodes them reads a second. */
  private static double bareConsumer(Endpoints endpoints, int count) {
    var settings = new HashMap<String, Object>(AvroSerdes.consumerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, "bare-" + UUID.randomUUID());
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var consumer = new KafkaConsumer<String, Object>(settings)) {
      consumer.subscribe(List.of(Topics.PAYMENT_OUTCOMES.name()));
      var read = 0;
      var started = 0L; // from the first record: joining the group is not decoding
      while (read < count) {
        var records = consumer.poll(Duration.ofMillis(500));
        if (started == 0 && !records.isEmpty()) {
          started = System.nanoTime();
        }
        for (var record : records) {
          if (record.value() instanceof PaymentFailed) {
            read++;
          }
        }
      }
      return count / ((System.nanoTime() - started) / 1e9);
    }
  }

  private static ContractRegistered registration(String run, int i) {
    var id = run + "-" + i;
    return LocalSealingKeys.sealed(ContractRegistered.newBuilder().setHeader(header(run, id))
        .setSupporter(Supporter.newBuilder().setSupporterId("s-" + id).setName("支援者").setEmail(id + "@example.org").build())
        .setAmountYen(3_000).setInterval(BillingInterval.MONTHLY).setAnchorDay(1).setFirstChargeOn(PERIOD)
        .setAppliedOn(LocalDate.of(2026, 4, 1)).setCohort(Cohort.CURRENT).setPaymentMethodToken("tok_visa").build());
  }

  private static PaymentFailed failure(String run, int i) {
    var id = run + "-" + i;
    return PaymentFailed.newBuilder().setHeader(header(run, id)).setAttemptId(id + ":" + PERIOD + ":SCHEDULED:0")
        .setKind(ChargeKind.SCHEDULED).setAttemptNumber(0).setPeriod(PERIOD).setAmountYen(3_000)
        .setFailureCode("insufficient_funds").setFailureClass(FailureClass.SOFT_DECLINE).build();
  }

  private static EventHeader header(String run, String contractId) {
    return EventHeader.newBuilder().setEventId(UUID.randomUUID().toString()).setOrgId("org-" + run).setContractId(contractId)
        .setOccurredAt(Instant.now()).build();
  }
}
