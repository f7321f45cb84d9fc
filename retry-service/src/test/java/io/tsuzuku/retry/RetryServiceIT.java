package io.tsuzuku.retry;

import io.tsuzuku.schemas.KafkaAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsuzuku.events.BillingInterval;
import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.ChargeRequested;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.ContractStatus;
import io.tsuzuku.events.ContractStatusChanged;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.ManualRetryRequested;
import io.tsuzuku.events.ManualRetryWithdrawn;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.RetryScheduled;
import io.tsuzuku.events.StatusChangeReason;
import io.tsuzuku.events.Supporter;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.kit.ParkedRecords;
import io.tsuzuku.testkit.TestEvents;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.retry.adapter.out.mongo.MongoJobStore;
import io.tsuzuku.retry.adapter.out.mongo.MongoViewStore;
import io.tsuzuku.retry.application.port.JobStore;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The retry service against the real broker, registry and MongoDB-wire server. */
@WithEmbeddedInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"tsuzuku.parking.retry-every=PT1S", "tsuzuku.parking.pass-interval=PT0.5S"})
class RetryServiceIT {

  private static final LocalDate PERIOD = LocalDate.of(2026, 11, 1);
  private static final List<Object> PUBLISHED = new CopyOnWriteArrayList<>();
  /** The trace each published charge command carries on, by contract. */
  private static final java.util.Map<String, String> CHARGE_TRACES = new java.util.concurrent.ConcurrentHashMap<>();
  private static volatile boolean reading = true;
  private static Thread reader;

  @Autowired MongoJobStore jobs;
  @Autowired MongoViewStore views;

  @BeforeAll
  static void readWhatTheServicePublishes(Endpoints endpoints) {
    var settings = new HashMap<>(AvroSerdes.consumerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, "retry-it-" + UUID.randomUUID());
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    reader = new Thread(() -> {
      try (var consumer = new KafkaConsumer<String, Object>(settings)) {
        consumer.subscribe(List.of(Topics.RETRY_EVENTS.name(), Topics.CHARGE_REQUESTED.name()));
        while (reading) {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> {
            PUBLISHED.add(r.value());
            var trace = r.headers().lastHeader("traceparent");
            if (r.value() instanceof ChargeRequested && trace != null) {
              CHARGE_TRACES.put(r.key(), new String(trace.value(), java.nio.charset.StandardCharsets.US_ASCII));
            }
          });
        }
      }
    }, "published-reader");
    reader.start();
  }

  @AfterAll
  static void stopReading() throws InterruptedException {
    reading = false;
    reader.join(5_000);
  }

  @Test
  void aFailedScheduledChargeBecomesARetryScheduledAndAJobThatChargesWhenDueInTheFailuresTrace(Endpoints endpoints)
      throws Exception {
    var contractId = "c-" + UUID.randomUUID();
    var failedAt = Instant.now().minus(Duration.ofDays(8)).truncatedTo(ChronoUnit.MILLIS); // retry 1 is overdue
    // the status service's RETRYING normally follows the failure within milliseconds, and the
    // retry a week later; with the retry already overdue here, let the status arrive first
    send(endpoints, registered(contractId), status(contractId, ContractStatus.RETRYING));
    await().atMost(Duration.ofSeconds(30)).until(() ->
        views.find(contractId).filter(v -> v.calendar() != null && v.status() == io.tsuzuku.retry.domain.ContractStatus.RETRYING).isPresent());
    var traceId = UUID.randomUUID().toString().replace("-", "");
    sendInTrace(endpoints, failed(contractId, failedAt), "00-" + traceId + "-00f067aa0ba902b7-01");
    var attemptId = contractId + ":" + PERIOD + ":AUTO_RETRY:1";

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(PUBLISHED).filteredOn(RetryScheduled.class::isInstance).map(RetryScheduled.class::cast)
          .filteredOn(r -> r.getHeader().getContractId().equals(contractId))
          .singleElement().satisfies(r -> {
            assertThat(r.getKind()).isEqualTo(ChargeKind.AUTO_RETRY);
            assertThat(r.getRetryNumber()).isEqualTo(1);
          });
      assertThat(PUBLISHED).filteredOn(ChargeRequested.class::isInstance).map(ChargeRequested.class::cast)
          .filteredOn(c -> c.getHeader().getContractId().equals(contractId))
          .singleElement().satisfies(c -> assertThat(c.getAttemptId()).isEqualTo(attemptId));
      assertThat(jobs.stateOf(attemptId)).contains(JobStore.State.DONE);
      assertThat(CHARGE_TRACES.get(contractId)).as("the charge continues the failure's trace, dispatched later on another thread")
          .startsWith("00-" + traceId + "-");
    });
  }

  @Test
  void aManualRetryWithdrawnWhileItsOrderWasParkedStaysWithdrawn(@Autowired ParkedRecords parked, Endpoints endpoints) {
    var contractId = "c-" + UUID.randomUUID();
    var runAt = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MILLIS);
    send(endpoints, ManualRetryRequested.newBuilder().setHeader(header(contractId, Instant.now())).setRetryOn(PERIOD.plusDays(30))
        .setRunAt(runAt).setPeriod(PERIOD).setRequestedBy("admin@example.org").build()); // before the registration
    await().atMost(Duration.ofSeconds(30)).until(() -> parked.list(1_000).stream().anyMatch(p -> p.contractId().equals(contractId)));

    send(endpoints, registered(contractId), status(contractId, ContractStatus.ERROR));
    await().atMost(Duration.ofSeconds(30)).until(() -> views.find(contractId).filter(v -> v.calendar() != null).isPresent());
    send(endpoints, ManualRetryWithdrawn.newBuilder().setHeader(header(contractId, Instant.now()))
        .setWithdrawnBy(io.tsuzuku.events.Requester.ADMINISTRATOR).setRunAt(runAt).build());

    var manualRetry = contractId + ":" + PERIOD + ":MANUAL_RETRY:1";
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(parked.list(1_000)).noneMatch(p -> p.contractId().equals(contractId));
      assertThat(jobs.stateOf(manualRetry)).as("the order, then its withdrawal").contains(JobStore.State.WITHDRAWN);
    });
  }

  private static SpecificRecord registered(String contractId) {
    return ContractRegistered.newBuilder()
        .setHeader(header(contractId, Instant.now().minus(Duration.ofDays(60))))
        .setSupporter(new Supporter("s-1", "山田 花子", "hanako@example.org"))
        .setAmountYen(3000).setInterval(BillingInterval.MONTHLY).setAnchorDay(1)
        .setFirstChargeOn(LocalDate.of(2026, 10, 1)).setAppliedOn(LocalDate.of(2026, 9, 20))
        .setCohort(Cohort.CURRENT).setPaymentMethodToken("tok").build();
  }

  private static SpecificRecord status(String contractId, ContractStatus to) {
    var now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return ContractStatusChanged.newBuilder()
        .setHeader(header(contractId, now)).setTo(to).setReason(StatusChangeReason.UNKNOWN)
        .setStatusSince(now).setCohort(Cohort.CURRENT).build();
  }

  private static SpecificRecord failed(String contractId, Instant at) {
    return PaymentFailed.newBuilder()
        .setHeader(header(contractId, at))
        .setAttemptId(contractId + ":" + PERIOD + ":SCHEDULED:0").setKind(ChargeKind.SCHEDULED).setAttemptNumber(0)
        .setPeriod(PERIOD).setAmountYen(3000).setFailureCode("insufficient_funds").setFailureClass(FailureClass.SOFT_DECLINE)
        .build();
  }

  private static EventHeader header(String contractId, Instant at) {
    return EventHeader.newBuilder().setEventId(UUID.randomUUID().toString()).setOrgId("org-1")
        .setContractId(contractId).setOccurredAt(at.truncatedTo(ChronoUnit.MILLIS)).build();
  }

  /** Sends the event with a {@code traceparent} header, as a traced service does. */
  private static void sendInTrace(Endpoints endpoints, SpecificRecord event, String traceParent) throws Exception {
    var settings = new HashMap<>(AvroSerdes.producerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, SpecificRecord>(settings)) {
      var header = (EventHeader) event.get(event.getSchema().getField("header").pos());
      var record = new org.apache.kafka.clients.producer.ProducerRecord<String, SpecificRecord>(
          Topics.of(event.getClass()).name(), header.getContractId(), event);
      record.headers().add("traceparent", traceParent.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      producer.send(record).get();
    }
  }

  private static void send(Endpoints endpoints, SpecificRecord... events) {
    TestEvents.send(endpoints, events);
  }

}
