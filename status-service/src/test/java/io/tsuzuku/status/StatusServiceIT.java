package io.tsuzuku.status;

import io.tsuzuku.standins.LocalSealingKeys;
import io.tsuzuku.schemas.KafkaAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsuzuku.events.BillingInterval;
import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractCancellationRequested;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.ContractStatus;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.FinalNoticeRequested;
import io.tsuzuku.events.ManualRetryRequested;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.Requester;
import io.tsuzuku.events.RetriesExhausted;
import io.tsuzuku.events.RetryScheduled;
import io.tsuzuku.events.StatusChangeReason;
import io.tsuzuku.events.Supporter;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.kit.DeadLetters;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topics;
import io.tsuzuku.status.adapter.out.mongo.MongoContractHistory;
import io.tsuzuku.status.adapter.out.mongo.MongoContractStore;
import io.tsuzuku.status.application.BulkOperations;
import io.tsuzuku.status.application.ContractListing;
import io.tsuzuku.status.application.Selection;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The status service against the real broker, registry and MongoDB-wire server, driven by events
 * alone, as the other services and forms will drive it.
 */
@WithEmbeddedInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StatusServiceIT {

  private static final LocalDate PERIOD = LocalDate.of(2026, 11, 1);
  private static final Instant T0 = Instant.parse("2026-11-01T01:00:00Z");
  private static final List<ConsumerRecord<String, Object>> PUBLISHED = new CopyOnWriteArrayList<>();
  private static Thread reader;
  private static volatile boolean reading = true;

  @Autowired MongoContractStore store;
  @Autowired MongoContractHistory history;
  @Autowired BulkOperations admin;
  @Autowired io.tsuzuku.status.application.ContactBudget contactBudget;
  @Autowired ContractListing listing;
  @Autowired io.micrometer.core.instrument.MeterRegistry meters;

  @BeforeAll
  static void readWhatTheServicePublishes(Endpoints endpoints) {
    var settings = new HashMap<>(AvroSerdes.consumerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, "status-it-" + UUID.randomUUID());
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    reader =
        new Thread(
            () -> {
              try (var consumer = new KafkaConsumer<String, Object>(settings)) {
                consumer.subscribe(
                    List.of(
                        Topics.CONTRACT_STATUS_CHANGED.name(),
                        Topics.MANUAL_RETRY_REQUESTED.name(),
                        Topics.FINAL_NOTICE_REQUESTED.name()));
                while (reading) {
                  consumer.poll(Duration.ofMillis(200)).forEach(PUBLISHED::add);
                }
              }
            },
            "published-reader");
    reader.start();
  }

  @AfterAll
  static void stopReading() throws InterruptedException {
    reading = false;
    reader.join(5_000);
  }

  @Test
  void aContractGoesFromActiveThroughErrorBackToActiveAndIsCancelledByEventsAlone(Endpoints endpoints) {
    var contractId = "c-" + UUID.randomUUID();
    var events = lifecycle(contractId);

    sendInCausalOrder(endpoints, contractId, events, 1);

    var expected =
        List.of(
            "null>ACTIVE REGISTERED",
            "ACTIVE>RETRYING SCHEDULED_CHARGE_FAILED",
            "RETRYING>RETRYING RETRY_SCHEDULED",
            "RETRYING>RETRYING AUTOMATIC_RETRY_FAILED",
            "RETRYING>ERROR RETRIES_EXHAUSTED",
            "ERROR>ACTIVE PAYMENT_SUCCEEDED",
            "ACTIVE>CANCELLED CANCELLED_BY_SUPPORTER");
    await().atMost(Duration.ofSeconds(30)).until(() -> snapshots(contractId).size() >= expected.size());
    var snapshots = snapshots(contractId);
    assertThat(snapshots)
        .extracting(s -> s.getFrom() + ">" + s.getTo() + " " + s.getReason())
        .containsExactlyElementsOf(expected);
    var error = snapshots.get(4);
    assertThat(error.getErrorSince()).isEqualTo(T0.plus(Duration.ofDays(21)));
    assertThat(error.getLastFailure().getCode()).isEqualTo("insufficient_funds");
    var cancelled = snapshots.get(6);
    assertThat(cancelled.getReasonDetail()).isEqualTo("moving abroad");
    assertThat(cancelled.getTo()).isEqualTo(ContractStatus.CANCELLED);
    assertThat(store.load(contractId).orElseThrow().contract().status()).isEqualTo(Status.CANCELLED);
    await().untilAsserted(() -> assertThat(history.historyOf(contractId)).hasSize(events.size()));
  }

  @Test
  void anAdministratorsManualRetryAndFinalNoticeArePublishedForTheOtherServices(Endpoints endpoints) {
    var contractId = "admin-" + UUID.randomUUID();
    sendInCausalOrder(endpoints, contractId, lifecycle(contractId).subList(0, 5), 1); // … → ERROR
    var retryOn = listing.today().plusDays(7);
    var ids = new Selection.Ids(List.of(contractId));
    var administrator = Actor.administrator("admin@org-1");

    // the test runs at any hour of the real clock: the organisation writes to its supporters at night too
    contactBudget.set("org-1", new io.tsuzuku.status.application.ContactBudget.Policy(10, 30, java.time.LocalTime.NOON,
        java.time.LocalTime.NOON));
    admin.manualRetries("org-1", ids, retryOn, false, administrator, "r-" + contractId);
    admin.finalNotices("org-1", ids, false, administrator, "n-" + contractId);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var requested = published(contractId, ManualRetryRequested.class);
      assertThat(requested).singleElement().satisfies(r -> {
        assertThat(r.getRetryOn()).isEqualTo(retryOn);
        assertThat(r.getPeriod()).isEqualTo(PERIOD);
        assertThat(r.getRequestedBy()).isEqualTo("admin@org-1");
      });
      assertThat(published(contractId, FinalNoticeRequested.class)).singleElement().satisfies(n -> {
        assertThat(n.getSupporter().getEmail()).isEqualTo("hanako@example.org");
        assertThat(n.getErrorSince()).isEqualTo(T0.plus(Duration.ofDays(21)));
        assertThat(n.getNoticeOn()).isEqualTo(listing.today());
      });
    });
  }

  @Test
  void deliveringEveryEventTwiceGivesTheSameDocumentAndTheSameEventsAsOnce(Endpoints endpoints) {
    var once = "once-" + UUID.randomUUID();
    var twice = "twice-" + UUID.randomUUID();
    sendInCausalOrder(endpoints, once, lifecycle(once), 1);

    sendInCausalOrder(endpoints, twice, lifecycle(twice), 2);

    await().atMost(Duration.ofSeconds(30)).until(() -> snapshots(once).size() == 7 && snapshots(twice).size() >= 7);
    var first = store.load(once).orElseThrow();
    var second = store.load(twice).orElseThrow();
    assertThat(second.contract().status()).isEqualTo(first.contract().status());
    assertThat(second.contract().version()).isEqualTo(first.contract().version());
    assertThat(second.recentEventIds()).hasSameSizeAs(first.recentEventIds()).doesNotHaveDuplicates();
    assertThat(snapshots(twice))
        .extracting(s -> s.getHeader().getEventId())
        .doesNotHaveDuplicates()
        .hasSize(7);
    await().untilAsserted(() -> assertThat(history.historyOf(twice)).hasSameSizeAs(history.historyOf(once)));
  }

  @Test
  void aRecordThatCannotBeDecodedLandsOnTheDeadLetterTopicWithItsReason(Endpoints endpoints) {
    var key = "garbage-" + UUID.randomUUID();
    try (var producer = rawProducer(endpoints)) {
      producer.send(new ProducerRecord<>(Topics.PAYMENT_OUTCOMES.name(), key, new byte[] {0, 0, 0, 0, 42, 1, 2})).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }

    var consumerSettings = new HashMap<String, Object>();
    consumerSettings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, "dlt-" + UUID.randomUUID());
    consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerSettings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    consumerSettings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (var consumer = new KafkaConsumer<String, byte[]>(consumerSettings)) {
      consumer.subscribe(List.of(Topics.PAYMENT_OUTCOMES.deadLetterTopic()));
      var found = new ArrayList<ConsumerRecord<String, byte[]>>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> { if (key.equals(r.key())) found.add(r); });
        return !found.isEmpty();
      });
      var dead = found.get(0);
      assertThat(dead.value()).containsExactly(0, 0, 0, 0, 42, 1, 2);
      assertThat(new String(dead.headers().lastHeader("kafka_dlt-exception-fqcn").value()))
          .contains("DeserializationException");

      // an operator lists it with its reason and replays it once; a second replay is refused
      try (var deadLetters = new DeadLetters(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT))) {
        var listed = deadLetters.list(Topics.PAYMENT_OUTCOMES.deadLetterTopic()).stream()
            .filter(d -> key.equals(d.key())).toList();
        assertThat(listed).singleElement().satisfies(d -> {
          assertThat(d.sourceTopic()).isEqualTo(Topics.PAYMENT_OUTCOMES.name());
          assertThat(d.reason()).isNotBlank();
          assertThat(d.replayed()).isFalse();
        });
        var position = listed.get(0).position();

        assertThat(deadLetters.replay(Topics.PAYMENT_OUTCOMES.deadLetterTopic(), List.of(position)))
            .containsExactly(position + " replayed to payment-outcomes");
        // still undecodable: the service sets it aside again, now marked as a replay
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> { if (key.equals(r.key())) found.add(r); });
          return found.size() == 2;
        });
        assertThat(new String(found.get(1).headers().lastHeader(DeadLetters.REPLAYED_FROM).value()))
            .isEqualTo(Topics.PAYMENT_OUTCOMES.deadLetterTopic() + "/" + position.replace(':', '/'));
        assertThat(deadLetters.replay(Topics.PAYMENT_OUTCOMES.deadLetterTopic(), List.of(position)))
            .containsExactly(position + " already replayed");
        assertThat(deadLetters.list(Topics.PAYMENT_OUTCOMES.deadLetterTopic()))
            .filteredOn(d -> d.position().equals(position)).singleElement().satisfies(d -> assertThat(d.replayed()).isTrue());
      }
    }
  }

  private static List<SpecificRecord> lifecycle(String contractId) {
    return List.of(
        LocalSealingKeys.sealed(ContractRegistered.newBuilder()
            .setHeader(header(contractId, T0.minus(Duration.ofDays(40))))
            .setSupporter(new Supporter("s-1", "山田 花子", "hanako@example.org"))
            .setAmountYen(3000)
            .setInterval(BillingInterval.MONTHLY)
            .setAnchorDay(1)
            .setFirstChargeOn(LocalDate.of(2026, 10, 1))
            .setAppliedOn(LocalDate.of(2026, 9, 20))
            .setCohort(Cohort.CURRENT)
            .setPaymentMethodToken("tok_declines")
            .build()),
        failed(contractId, ChargeKind.SCHEDULED, 0, T0),
        RetryScheduled.newBuilder()
            .setHeader(header(contractId, T0.plusSeconds(1)))
            .setKind(ChargeKind.AUTO_RETRY)
            .setRetryNumber(1)
            .setPeriod(PERIOD)
            .setRunAt(T0.plus(Duration.ofDays(7)))
            .build(),
        failed(contractId, ChargeKind.AUTO_RETRY, 1, T0.plus(Duration.ofDays(7))),
        RetriesExhausted.newBuilder()
            .setHeader(header(contractId, T0.plus(Duration.ofDays(21))))
            .setPeriod(PERIOD)
            .setRetries(3)
            .build(),
        succeeded(contractId, ChargeKind.MANUAL_RETRY, 4, T0.plus(Duration.ofDays(120))),
        ContractCancellationRequested.newBuilder()
            .setHeader(header(contractId, T0.plus(Duration.ofDays(200))))
            .setRequestedBy(Requester.SUPPORTER)
            .setReason("moving abroad")
            .build());
  }

  private static PaymentSucceeded succeeded(String contractId, ChargeKind kind, int number, Instant at) {
    return PaymentSucceeded.newBuilder()
        .setHeader(header(contractId, at))
        .setAttemptId(contractId + ":" + PERIOD + ":" + kind + ":" + number)
        .setKind(kind)
        .setAttemptNumber(number)
        .setPeriod(PERIOD)
        .setAmountYen(3000)
        .build();
  }

  private static PaymentFailed failed(String contractId, ChargeKind kind, int number, Instant at) {
    return PaymentFailed.newBuilder()
        .setHeader(header(contractId, at))
        .setAttemptId(contractId + ":" + PERIOD + ":" + kind + ":" + number)
        .setKind(kind)
        .setAttemptNumber(number)
        .setPeriod(PERIOD)
        .setAmountYen(3000)
        .setFailureCode("insufficient_funds")
        .setFailureClass(FailureClass.SOFT_DECLINE)
        .build();
  }

  @Test
  void theSnapshotARecordCausedContinuesTheRecordsTrace(Endpoints endpoints) throws Exception {
    var contractId = "c-" + UUID.randomUUID();
    var events = lifecycle(contractId);

    // a registration (a listener of one record), then a failure (a listener of a poll's records)
    for (var event : events.subList(0, 2)) {
      var traceId = UUID.randomUUID().toString().replace("-", "");
      var seen = snapshots(contractId).size();
      sendTraced(endpoints, contractId, event, "00-" + traceId + "-00f067aa0ba902b7-01");

      var snapshot = await().atMost(Duration.ofSeconds(30)).until(() -> PUBLISHED.stream()
          .filter(r -> contractId.equals(r.key()) && r.value() instanceof ContractStatusChanged).skip(seen).findFirst(),
          java.util.Optional::isPresent).orElseThrow();

      var header = snapshot.headers().lastHeader("traceparent");
      assertThat(header).as("the snapshot carries the trace on").isNotNull();
      var traceParent = new String(header.value(), java.nio.charset.StandardCharsets.US_ASCII).split("-");
      assertThat(traceParent[1]).as("the same trace").isEqualTo(traceId);
      assertThat(traceParent[2]).as("under the listener's span, not the sender's").isNotEqualTo("00f067aa0ba902b7");
    }
  }

  @Test
  void anOutcomeThatArrivesBeforeItsContractsRegistrationIsAppliedOnceTheRegistrationCame(Endpoints endpoints) throws Exception {
    var contractId = "early-" + UUID.randomUUID();
    var events = lifecycle(contractId);

    var triedBefore = unknownContractFailures();
    sendTraced(endpoints, contractId, events.get(1), null); // the failure, on a topic read apart from registrations
    await().atMost(Duration.ofSeconds(30)).until(() -> unknownContractFailures() > triedBefore); // tried, to be tried again
    sendTraced(endpoints, contractId, events.get(0), null);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(snapshots(contractId))
        .extracting(s -> s.getFrom() + ">" + s.getTo())
        .containsExactly("null>ACTIVE", "ACTIVE>RETRYING"));
    try (var deadLetters = new DeadLetters(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT))) {
      assertThat(deadLetters.list(Topics.PAYMENT_OUTCOMES.deadLetterTopic())).noneMatch(d -> contractId.equals(d.key()));
    }
  }

  /**
   * A consumer that lags on registrations must not lose outcomes: an outcome for a contract not
   * learned yet is parked, the records after it on its partition apply at once, and it applies
   * once the registration comes, however long after; it is never dead-lettered by a timer.
   */
  @Test
  @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
  void anOutcomeForAContractNotLearnedYetIsParkedWhileItsPartitionGoesOnAndAppliesOnceTheRegistrationComes(
      @Autowired io.tsuzuku.kit.ParkedRecords parked, Endpoints endpoints, org.springframework.boot.test.system.CapturedOutput log)
      throws Exception {
    var late = "late-" + UUID.randomUUID();
    var next = sameOutcomePartitionAs(late, "next-");
    sendInCausalOrder(endpoints, next, lifecycle(next).subList(0, 1), 1);

    sendTraced(endpoints, late, lifecycle(late).get(1), null);
    sendTraced(endpoints, next, failed(next, ChargeKind.SCHEDULED, 0, T0), null);

    await().atMost(Duration.ofSeconds(6)).untilAsserted(() -> assertThat(snapshots(next))
        .extracting(s -> s.getFrom() + ">" + s.getTo()).containsExactly("null>ACTIVE", "ACTIVE>RETRYING"));
    await().untilAsserted(() -> assertThat(parked.list(1_000)).anySatisfy(p -> {
      assertThat(p.contractId()).isEqualTo(late);
      assertThat(p.group()).isEqualTo("status-service");
      assertThat(p.reason()).contains("not registered here yet");
    }));
    await().until(() -> parked.list(1_000).stream().anyMatch(p -> p.contractId().equals(late) && p.tries() >= 2)); // tried again
    sendTraced(endpoints, late, lifecycle(late).get(0), null);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(snapshots(late))
        .extracting(s -> s.getFrom() + ">" + s.getTo()).containsExactly("null>ACTIVE", "ACTIVE>RETRYING"));
    await().until(() -> parked.list(1_000).stream().noneMatch(p -> p.contractId().equals(late)));
    try (var deadLetters = new DeadLetters(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT))) {
      assertThat(deadLetters.list(Topics.PAYMENT_OUTCOMES.deadLetterTopic())).noneMatch(d -> late.equals(d.key()));
    }
    // routine: each try and the parking said in one WARN line with the reason, no stack trace
    var lines = log.getAll().lines().toList();
    assertThat(lines).filteredOn(line -> line.contains("LoggedRetries") && line.contains(late))
        .anySatisfy(line -> assertThat(line).contains("key='" + late + "' failed (delivery 1)"))
        .anySatisfy(line -> assertThat(line).contains("key='" + late + "' failed (delivery 2)"))
        .anySatisfy(line -> assertThat(line).contains("key='" + late + "' parked"))
        .allSatisfy(line -> assertThat(line).contains(" WARN ").endsWith(": contract " + late + " is not registered here yet"));
    assertThat(lines).noneMatch(line -> line.contains(late) && line.contains(" ERROR "))
        .noneMatch(line -> line.contains("Error handler threw an exception") || line.contains("Seek to current after exception"));
  }

  @Test
  void aLaterOutcomeOfAContractWhoseEarlierOneIsParkedWaitsBehindItAndBothApplyInTheirOrder(
      @Autowired io.tsuzuku.kit.ParkedRecords parked, Endpoints endpoints) throws Exception {
    var contractId = "behind-" + UUID.randomUUID();
    sendTraced(endpoints, contractId, failed(contractId, ChargeKind.SCHEDULED, 0, T0), null); // before its registration
    await().until(() -> parked.list(1_000).stream().anyMatch(p -> p.contractId().equals(contractId)));

    sendTraced(endpoints, contractId, lifecycle(contractId).get(0), null);
    sendTraced(endpoints, contractId, succeeded(contractId, ChargeKind.AUTO_RETRY, 1, T0.plus(Duration.ofDays(7))), null);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(snapshots(contractId))
        .extracting(s -> s.getFrom() + ">" + s.getTo()).containsExactly("null>ACTIVE", "ACTIVE>RETRYING", "RETRYING>ACTIVE"));
    await().until(() -> parked.list(1_000).stream().noneMatch(p -> p.contractId().equals(contractId)));
  }

  /**
   * A parked outcome that turns out to name another organisation than its contract's, once the
   * registration comes, is dead-lettered and parked no more: it is not sent again and again.
   */
  @Test
  void aParkedRecordThatEndsInTheDeadLettersIsParkedNoMore(@Autowired io.tsuzuku.kit.ParkedRecords parked, Endpoints endpoints)
      throws Exception {
    var contractId = "forged-" + UUID.randomUUID();
    var forged = failed(contractId, ChargeKind.SCHEDULED, 0, T0);
    forged.getHeader().setOrgId("org-2");
    sendTraced(endpoints, contractId, forged, null); // before its registration, naming another organisation
    await().until(() -> parked.list(1_000).stream().anyMatch(p -> p.contractId().equals(contractId)));

    sendTraced(endpoints, contractId, lifecycle(contractId).get(0), null);

    try (var deadLetters = new DeadLetters(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT))) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deadLetters.list(Topics.PAYMENT_OUTCOMES.deadLetterTopic()))
          .anyMatch(d -> contractId.equals(d.key())));
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(parked.list(1_000)).noneMatch(p -> p.contractId().equals(contractId)));
  }

  /** A contract id of {@code prefix} whose records share a partition of payment-outcomes with {@code key}'s. */
  private static String sameOutcomePartitionAs(String key, String prefix) {
    var partitions = io.tsuzuku.infra.embedded.EmbeddedKafkaBroker.PARTITIONS;
    for (int n = 0; ; n++) {
      var candidate = prefix + UUID.randomUUID();
      if (partition(candidate, partitions) == partition(key, partitions)) {
        return candidate;
      }
    }
  }

  private static int partition(String key, int partitions) {
    var bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(bytes)) % partitions;
  }

  @Test
  void anUndecodableRecordAmongOutcomesIsSetAsideAndTheOutcomesAroundItApply(Endpoints endpoints) throws Exception {
    var contractId = "mixed-" + UUID.randomUUID();
    sendInCausalOrder(endpoints, contractId, lifecycle(contractId).subList(0, 1), 1);
    var recovered = succeeded(contractId, ChargeKind.AUTO_RETRY, 1, T0.plus(Duration.ofDays(7)));

    // one partition (one key), in this order, without waiting for the service between them
    try (var raw = rawProducer(endpoints)) {
      sendTraced(endpoints, contractId, failed(contractId, ChargeKind.SCHEDULED, 0, T0), null);
      raw.send(new ProducerRecord<>(Topics.PAYMENT_OUTCOMES.name(), contractId, new byte[] {0, 0, 0, 0, 42, 9})).get();
      sendTraced(endpoints, contractId, recovered, null);
    }

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(snapshots(contractId))
        .extracting(s -> s.getFrom() + ">" + s.getTo())
        .containsExactly("null>ACTIVE", "ACTIVE>RETRYING", "RETRYING>ACTIVE"));
    try (var deadLetters = new DeadLetters(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT))) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
          deadLetters.list(Topics.PAYMENT_OUTCOMES.deadLetterTopic())).filteredOn(d -> contractId.equals(d.key())).hasSize(1));
    }
  }

  /** Events of a poll that found their contract unregistered (the service's measure of events applied, by error). */
  private double unknownContractFailures() {
    return meters.find("tsuzuku.event.applied").tag("topic", Topics.PAYMENT_OUTCOMES.name())
        .tag("error", "UnknownContractException").timers().stream().mapToDouble(t -> t.count()).sum();
  }

  /** A producer of bytes as they are: records no serializer would write. */
  private static KafkaProducer<String, byte[]> rawProducer(Endpoints endpoints) {
    return new KafkaProducer<>(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT), new StringSerializer(), new ByteArraySerializer());
  }

  private static void sendTraced(Endpoints endpoints, String contractId, SpecificRecord event, String traceParent) throws Exception {
    var settings = new HashMap<>(AvroSerdes.producerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    try (var producer = new KafkaProducer<String, SpecificRecord>(settings)) {
      var record = new ProducerRecord<String, SpecificRecord>(Topics.of(event.getClass()).name(), contractId, event);
      if (traceParent != null) {
        record.headers().add("traceparent", traceParent.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
      producer.send(record).get();
    }
  }

  private static EventHeader header(String contractId, Instant at) {
    return EventHeader.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOrgId("org-1")
        .setContractId(contractId)
        .setOccurredAt(at.truncatedTo(ChronoUnit.MILLIS))
        .build();
  }

  /**
   * Sends each event {@code copies} times and waits until the contract's history shows it before
   * the next: in the running system each of these events is caused by the one before it, and the
   * topics they travel on are read independently.
   */
  private void sendInCausalOrder(
      Endpoints endpoints, String contractId, List<SpecificRecord> events, int copies) {
    var settings = new HashMap<>(AvroSerdes.producerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    try (var producer = new KafkaProducer<String, SpecificRecord>(settings)) {
      for (int i = 0; i < events.size(); i++) {
        var event = events.get(i);
        for (int copy = 0; copy < copies; copy++) {
          producer.send(new ProducerRecord<>(Topics.of(event.getClass()).name(), contractId, event)).get();
        }
        var seen = i + 1;
        await().atMost(Duration.ofSeconds(30)).until(() -> history.historyOf(contractId).size() >= seen);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<ContractStatusChanged> snapshots(String contractId) {
    return published(contractId, ContractStatusChanged.class);
  }

  private static <T> List<T> published(String contractId, Class<T> type) {
    return PUBLISHED.stream()
        .filter(r -> contractId.equals(r.key()) && type.isInstance(r.value()))
        .map(r -> type.cast(r.value()))
        .toList();
  }
}
