package io.tsuzuku.systemtests;

import io.tsuzuku.standins.LocalSealingKeys;
import io.tsuzuku.schemas.KafkaAccess;
import com.mongodb.client.MongoClients;
import io.tsuzuku.events.BillingInterval;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.ContractStatus;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.Supporter;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.localstack.DemoOrganisation;
import io.tsuzuku.localstack.LocalSystem.Service;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topics;
import io.tsuzuku.standins.FakeSalesforce;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * A month-end as an organisation lives it, on the whole system (two instances of every service, in
 * one JVM or each in a process of its own ({@link MonthEndServices}), the real broker and registry,
 * the MongoDB-wire server, the payment simulator, the Salesforce stub org): another team's Kafka
 * client registers {@code contracts} contracts whose charge date is today, a tenth of them on
 * cards that will be declined; the billing run starts at its hour; measured until every charge's outcome, every status snapshot and every Salesforce
 * record is written (docs/benchmarks.md, "The month-end"). Each stage prints its time, events a
 * second, CPU seconds per thousand events and the store round trips per event of each service
 * (the MongoDB driver's command listener, Micrometer's {@code mongodb.driver.commands}, summed over
 * the service's instances), and, with the services in processes, each instance's heap; a bare
 * consumer then decodes the same topics in the same run, for the ratio.
 */
final class MonthEnd {

  private static final String ORG = "month-end";
  /** The status field of the Salesforce mapping the run configures ({@link DemoOrganisation#configureSalesforce}). */
  private static final String STATUS_FIELD = "Status__c";

  /** One stage: what it waited for, how long, how many events, and what it cost. */
  record Stage(String name, int events, Duration took, double cpuSeconds, Map<Service, Map<String, Long>> storeCommands,
      String heap) {

    double perSecond() {
      return events / Math.max(took.toNanos() / 1e9, 1e-9);
    }

    String line(double bareConsumerPerSecond) {
      var commands = new StringBuilder();
      storeCommands.forEach((service, counts) -> commands.append(String.format(" %s=%.2f", service.configName(),
          (double) counts.values().stream().mapToLong(Long::longValue).sum() / events)));
      return String.format("%-38s %7d events %8.1f s %9.0f /s %6.2f %% of bare  %5.2f CPU s/1000  store round trips/event:%s",
          name, events, took.toNanos() / 1e9, perSecond(), 100 * perSecond() / bareConsumerPerSecond,
          1000 * cpuSeconds / events, commands);
    }

    /** Each service's commands a tenth of an event or more, by command and collection, per event. */
    String breakdown() {
      var lines = new StringBuilder();
      storeCommands.forEach((service, counts) -> {
        lines.append(String.format("      %-17s", service.configName()));
        counts.entrySet().stream().filter(entry -> entry.getValue() * 10 >= events)
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .forEach(entry -> lines.append(String.format(" %s %.2f;", entry.getKey(), (double) entry.getValue() / events)));
        lines.append(System.lineSeparator());
      });
      return lines.toString();
    }
  }

  /** The figures of one month-end; {@code afterTheRun}, each service's memory (or the one JVM's), and how the run began. */
  record Figures(int contracts, String where, List<Stage> stages, double bareConsumerPerSecond, Duration total,
      List<String> afterTheRun) {

    void print(PrintStream out) {
      out.printf("month-end of %,d contracts (a tenth declined), two instances of every service %s: %.1f s in all%n", contracts,
          where, total.toNanos() / 1e9);
      stages.forEach(stage -> {
        out.println("  " + stage.line(bareConsumerPerSecond));
        out.print(stage.breakdown());
        if (!stage.heap().isEmpty()) {
          out.println("      heap in use at the stage's end: " + stage.heap());
        }
      });
      out.printf("  a bare consumer decoded the same topics at %.0f records a second%n", bareConsumerPerSecond);
      afterTheRun.forEach(line -> out.println("  " + line));
    }
  }

  private MonthEnd() {}

  /**
   * Runs a month-end of {@code contracts} contracts against {@code endpoints}, the services in this
   * JVM or each instance in a process of its own ({@code inProcesses}); each stage waits at most
   * {@code stageTimeout}, then fails naming the stage.
   */
  static Figures run(Endpoints endpoints, int contracts, boolean inProcesses, Duration stageTimeout, PrintStream out) {
    var run = "me-" + UUID.randomUUID().toString().substring(0, 8);
    var declined = contracts / 10;
    var started = System.nanoTime();
    try (var salesforce = FakeSalesforce.start();
        var outputs = new Outputs(endpoints, run);
        var mongo = MongoClients.create(endpoints.mongoUri());
        var services = MonthEndServices.start(endpoints, inProcesses)) {
      services.configureSalesforce(ORG, salesforce);
      var stages = new ArrayList<Stage>();
      // documents of earlier runs on the same servers count as already there
      var billed = mongo.getDatabase("tsuzuku-billing").getCollection("billed_contracts");
      var viewed = mongo.getDatabase("tsuzuku-retry").getCollection("contract_views");
      var billedBefore = billed.estimatedDocumentCount();
      var viewedBefore = viewed.estimatedDocumentCount();

      var registering = Mark.now(services);
      register(endpoints, run, contracts, declined, services.chargeDay(), services.now());
      stages.add(stage("registrations: known everywhere", contracts, registering, services, stageTimeout,
          () -> outputs.registered.size() >= contracts && billed.estimatedDocumentCount() >= billedBefore + contracts
              && viewed.estimatedDocumentCount() >= viewedBefore + contracts && salesforce.recordCountFor(run) >= contracts,
          () -> outputs.registered.size() + " snapshots, " + (billed.estimatedDocumentCount() - billedBefore) + " in billing, "
              + (viewed.estimatedDocumentCount() - viewedBefore) + " in retry, " + salesforce.recordCountFor(run)
              + " in Salesforce, of " + contracts));

      var charging = Mark.now(services);
      services.startBillingRun();
      stages.add(stage("billing run: every outcome", contracts, charging, services, stageTimeout,
          () -> outputs.charged.size() >= contracts, () -> outputs.charged.size() + " outcomes of " + contracts));
      stages.add(stage("billing run: statuses and Salesforce", contracts, charging, services, stageTimeout,
          () -> outputs.retrying.size() >= declined && failuresMirrored(salesforce, run, declined) >= declined,
          () -> outputs.retrying.size() + " snapshots in RETRYING, " + failuresMirrored(salesforce, run, declined)
              + " Salesforce records changed, of " + declined));

      var total = Duration.ofNanos(System.nanoTime() - started);
      var bare = bareConsumerPerSecond(endpoints);
      var figures = new Figures(contracts, services.where(), stages, bare, total, services.afterTheRun());
      figures.print(out);
      return figures;
    }
  }

  /** Where a stage starts: the time, the CPU time spent so far, the store commands sent so far. */
  private record Mark(long nanos, double cpuSeconds, Map<Service, Map<String, Long>> storeCommands) {

    static Mark now(MonthEndServices services) {
      return new Mark(System.nanoTime(), services.cpuSeconds(), services.storeCommands());
    }
  }

  /**
   * Waits from {@code start} (the services' time moving on as time passes) until {@code done}; past
   * {@code timeout}, fails saying how far it came ({@code progress}).
   */
  private static Stage stage(String name, int events, Mark start, MonthEndServices services, Duration timeout,
      BooleanSupplier done, Supplier<String> progress) {
    try {
      var left = timeout.minusNanos(System.nanoTime() - start.nanos());
      Awaitility.await(name).atMost(left.isNegative() ? Duration.ZERO : left).pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(500)).until(() -> {
            if (done.getAsBoolean()) {
              return true;
            }
            services.tick();
            return false;
          });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("the month-end's stage '" + name + "' did not complete within " + timeout + ": "
          + progress.get(), e);
    }
    var end = Mark.now(services);
    var commands = new LinkedHashMap<Service, Map<String, Long>>();
    end.storeCommands().forEach((service, counts) -> {
      var since = new java.util.TreeMap<String, Long>();
      counts.forEach((command, count) -> since.put(command, count - start.storeCommands().get(service).getOrDefault(command, 0L)));
      commands.put(service, since);
    });
    return new Stage(name, events, Duration.ofNanos(end.nanos() - start.nanos()), end.cpuSeconds() - start.cpuSeconds(), commands,
        services.heap());
  }

  /** Another team's client writes the registrations, as fast as its producer takes them. */
  private static void register(Endpoints endpoints, String run, int contracts, int declined, LocalDate chargeDay, Instant now) {
    var settings = new HashMap<String, Object>(AvroSerdes.producerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    try (var producer = new KafkaProducer<String, SpecificRecord>(settings)) {
      for (int i = 0; i < contracts; i++) {
        var contractId = contractId(run, i);
        var card = (i % 10 == 0 && i / 10 < declined ? "tok_decline_insufficient_funds" : "tok_visa") + "." + contractId;
        producer.send(new ProducerRecord<>(Topics.CONTRACT_REGISTERED.name(), contractId, LocalSealingKeys.sealed(ContractRegistered.newBuilder()
            .setHeader(EventHeader.newBuilder().setEventId(UUID.randomUUID().toString()).setOrgId(ORG).setContractId(contractId)
                .setOccurredAt(now).build())
            .setSupporter(Supporter.newBuilder().setSupporterId("s-" + contractId).setName("支援者").setEmail(contractId + "@example.org")
                .build())
            .setAmountYen(3_000).setInterval(BillingInterval.MONTHLY).setAnchorDay(chargeDay.getDayOfMonth())
            .setFirstChargeOn(chargeDay).setAppliedOn(LocalDate.of(2030, 4, 1)).setCohort(Cohort.CURRENT)
            .setPaymentMethodToken(card).build())));
      }
      producer.flush();
    }
  }

  private static String contractId(String run, int i) {
    return run + "-" + i;
  }

  /** How many declined contracts' Salesforce records no longer show the status of a paying one. */
  private static int failuresMirrored(FakeSalesforce salesforce, String run, int declined) {
    var paying = salesforce.record(contractId(run, 1)).get(STATUS_FIELD);
    int mirrored = 0;
    for (int n = 0; n < declined; n++) {
      var record = salesforce.record(contractId(run, 10 * n));
      if (record != null && !Objects.equals(record.get(STATUS_FIELD), paying)) {
        mirrored++;
      }
    }
    return mirrored;
  }

  /** Records a second a bare consumer decodes, reading the month-end's topics from their start. */
  private static double bareConsumerPerSecond(Endpoints endpoints) {
    var topics = List.of(Topics.CONTRACT_REGISTERED.name(), Topics.PAYMENT_OUTCOMES.name(), Topics.CONTRACT_STATUS_CHANGED.name());
    try (var consumer = new KafkaConsumer<String, Object>(consumerSettings(endpoints, "bare-" + UUID.randomUUID()))) {
      var partitions = topics.stream().flatMap(topic -> consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition()))).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
      long read = 0;
      var started = System.nanoTime();
      while (read < end) {
        try {
          read += consumer.poll(Duration.ofMillis(500)).count();
        } catch (RecordDeserializationException notOurs) { // another team's poison record: passed by, as a reader would
          consumer.seek(notOurs.topicPartition(), notOurs.offset() + 1);
          read++;
        }
      }
      return read / ((System.nanoTime() - started) / 1e9);
    }
  }

  private static Map<String, Object> consumerSettings(Endpoints endpoints, String group) {
    var settings = new HashMap<String, Object>(AvroSerdes.consumerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    return settings;
  }

  /** The run's contracts the services published something about: a first snapshot, a charge's outcome, a snapshot in RETRYING. */
  private static final class Outputs implements AutoCloseable {
    final Set<String> registered = ConcurrentHashMap.newKeySet();
    final Set<String> charged = ConcurrentHashMap.newKeySet();
    final Set<String> retrying = ConcurrentHashMap.newKeySet();
    private final Thread reader;
    private volatile boolean reading = true;

    Outputs(Endpoints endpoints, String run) {
      reader = new Thread(() -> {
        try (var consumer = new KafkaConsumer<String, Object>(consumerSettings(endpoints, "month-end-" + run))) {
          consumer.subscribe(List.of(Topics.PAYMENT_OUTCOMES.name(), Topics.CONTRACT_STATUS_CHANGED.name()));
          while (reading) {
            org.apache.kafka.clients.consumer.ConsumerRecords<String, Object> records;
            try {
              records = consumer.poll(Duration.ofMillis(200));
            } catch (RecordDeserializationException notOurs) {
              consumer.seek(notOurs.topicPartition(), notOurs.offset() + 1);
              continue;
            }
            for (var record : records) {
              if (record.key() == null || !record.key().startsWith(run + "-")) {
                continue; // another run's
              }
              if (record.value() instanceof ContractStatusChanged changed && changed.getFrom() == null) {
                registered.add(record.key());
              } else if (record.value() instanceof ContractStatusChanged changed && changed.getTo() == ContractStatus.RETRYING) {
                retrying.add(record.key());
              } else if (record.value() instanceof PaymentSucceeded || record.value() instanceof PaymentFailed) {
                charged.add(record.key());
              }
            }
          }
        }
      }, "month-end-outputs");
      reader.start();
    }

    @Override
    public void close() {
      reading = false;
      try {
        reader.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
