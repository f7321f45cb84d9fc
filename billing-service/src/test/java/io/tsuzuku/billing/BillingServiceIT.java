package io.tsuzuku.billing;

import io.tsuzuku.standins.LocalSealingKeys;
import io.tsuzuku.schemas.KafkaAccess;
import io.tsuzuku.standins.LocalTokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tsuzuku.billing.adapter.out.mongo.MongoLedger;
import io.tsuzuku.billing.adapter.out.processor.ByCohort;
import io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor;
import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.events.BillingInterval;
import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.ChargeRequested;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.Supporter;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.ServiceBootChecks;
import io.tsuzuku.testkit.TestEvents;
import io.tsuzuku.testkit.MovableClock;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.schemas.AvroSerdes;
import io.tsuzuku.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Billing against the real broker, registry and MongoDB-wire server, on a clock the test moves. */
@WithEmbeddedInfrastructure
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"tsuzuku.billing.poll-interval=PT0.2S", "tsuzuku.billing.relay-interval=PT0.2S", "tsuzuku.billing.processor=simulator"})
class BillingServiceIT {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final LocalDate BILLING_DAY = LocalDate.of(2030, 5, 1);
  private static final MovableClock CLOCK = new MovableClock(BILLING_DAY.minusDays(1).atTime(12, 0).atZone(TOKYO).toInstant());
  private static final List<ConsumerRecord<String, Object>> OUTCOMES = new CopyOnWriteArrayList<>();
  private static volatile boolean reading = true;
  private static Thread reader;

  @TestConfiguration
  static class MovedClock {
    @Bean
    @Primary
    Clock movableClock() {
      return CLOCK;
    }
  }

  @Autowired MongoLedger book;
  @Autowired PaymentProcessor processor;
  @Autowired ApplicationContext context;

  /** One context for every billing IT: two would share the consumer group and split the partitions. */
  @Test
  void bootsAgainstTheRealServersAndReportsUp() {
    ServiceBootChecks.assertBootedAgainstEmbeddedInfrastructure(context, "tsuzuku-billing",
        LocalTokens.mintOperator(LocalTokens.LOCAL_SECRET, "operator", java.time.Instant.now(), java.time.Duration.ofMinutes(5)));
  }

  @BeforeAll
  static void readOutcomes(Endpoints endpoints) {
    var settings = new HashMap<>(AvroSerdes.consumerSettings(endpoints.schemaRegistryUrl()));
    settings.putAll(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT));
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, "billing-it-" + UUID.randomUUID());
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    reader = new Thread(() -> {
      try (var consumer = new KafkaConsumer<String, Object>(settings)) {
        consumer.subscribe(List.of(Topics.PAYMENT_OUTCOMES.name()));
        while (reading) {
          consumer.poll(Duration.ofMillis(200)).forEach(OUTCOMES::add);
        }
      }
    }, "outcome-reader");
    reader.start();
  }

  @AfterAll
  static void stopReading() throws InterruptedException {
    reading = false;
    reader.join(5_000);
  }

  @Test
  void contractsRegisteredThenABillingDayPassesAndEachTokenGetsItsOutcome(Endpoints endpoints) {
    var run = UUID.randomUUID().toString().substring(0, 8);
    var ok = "ok-" + run;
    var poor = "poor-" + run;
    var expired = "expired-" + run;
    send(endpoints, registered(ok, "tok_ok"), registered(poor, "tok_decline_insufficient_funds"), registered(expired, "tok_decline_expired_card"));
    await().atMost(Duration.ofSeconds(30)).until(() -> List.of(ok, poor, expired).stream().allMatch(id -> book.find(id).isPresent()));

    CLOCK.set(BILLING_DAY.atTime(9, 0).atZone(TOKYO).toInstant()); // the billing day's run time comes

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(outcome(ok)).isInstanceOfSatisfying(PaymentSucceeded.class, s -> {
        assertThat(s.getKind()).isEqualTo(ChargeKind.SCHEDULED);
        assertThat(s.getPeriod()).isEqualTo(BILLING_DAY);
        assertThat(s.getAmountYen()).isEqualTo(3000);
      });
      assertThat(outcome(poor)).isInstanceOfSatisfying(PaymentFailed.class, f -> {
        assertThat(f.getFailureCode()).isEqualTo("insufficient_funds");
        assertThat(f.getFailureClass()).isEqualTo(FailureClass.SOFT_DECLINE);
      });
      assertThat(outcome(expired)).isInstanceOfSatisfying(PaymentFailed.class, f ->
          assertThat(f.getFailureClass()).isEqualTo(FailureClass.HARD_DECLINE));
    });
    assertThat(book.find(ok).orElseThrow().nextChargeOn()).isEqualTo(BILLING_DAY.plusMonths(1));
    assertThat(book.find(poor).orElseThrow().nextChargeOn()).as("nothing scheduled while unpaid").isNull();

    // a retry of the period already paid, delivered twice: refused before the processor, one fact
    var charged = ((SimulatedPaymentProcessor) ((ByCohort) processor).current()).charges();
    var retry = ChargeRequested.newBuilder().setHeader(header(ok)).setAttemptId(ok + ":" + BILLING_DAY + ":MANUAL_RETRY:4")
        .setKind(ChargeKind.MANUAL_RETRY).setRetryNumber(4).setPeriod(BILLING_DAY).setDueAt(CLOCK.instant()).build();
    send(endpoints, retry, retry);
    // the refusal is published at least once; a second delivery may publish the same fact again, or,
    // when it reaches the outbox before the first copy is cleared, leave with it (same event id)
    await().atMost(Duration.ofSeconds(30)).until(() -> outcomesOf(ok).size() >= 2);
    assertThat(((SimulatedPaymentProcessor) ((ByCohort) processor).current()).charges()).isEqualTo(charged);
    var all = outcomesOf(ok);
    var retryOutcomes = all.subList(1, all.size());
    assertThat(retryOutcomes).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(PaymentFailed.class, f -> {
      assertThat(f.getFailureClass()).isEqualTo(FailureClass.REFUSED);
      assertThat(f.getFailureCode()).isEqualTo("period_already_paid");
    }));
    assertThat(retryOutcomes).extracting(o -> ((PaymentFailed) o).getHeader().getEventId()).containsOnly(
        ((PaymentFailed) retryOutcomes.get(0)).getHeader().getEventId());
  }

  /**
   * A registration whose token is not sealed for billing, or whose sealed token was lifted from
   * another contract's registration, is set aside with the reason and registers nothing: billing
   * never charges a token it was not given for that contract.
   */
  @Test
  void aRegistrationWhoseTokenIsNotSealedForItsContractIsSetAsideAndRegistersNothing(Endpoints endpoints) {
    var run = UUID.randomUUID().toString().substring(0, 8);
    var plain = "plain-" + run;
    var lifted = "lifted-" + run;
    var plainRegistration = ContractRegistered.newBuilder((ContractRegistered) registered(plain, "tok_ok"))
        .setPaymentMethodToken("tok_ok").build();
    var liftedRegistration = ContractRegistered.newBuilder((ContractRegistered) registered(lifted, "tok_ok"))
        .setPaymentMethodToken(((ContractRegistered) registered("victim-" + run, "tok_victim")).getPaymentMethodToken()).build();

    send(endpoints, plainRegistration, liftedRegistration);

    try (var deadLetters = new io.tsuzuku.kit.DeadLetters(endpoints.kafkaClient(KafkaAccess.DEPLOYMENT))) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deadLetters.list(Topics.CONTRACT_REGISTERED.deadLetterTopic()))
          .filteredOn(letter -> "billing-service".equals(letter.group()))
          .extracting(letter -> letter.key() + ": " + letter.reason())
          .contains(plain + ": a field that must be sealed for this service is not a sealed value",
              lifted + ": a sealed field does not open: altered, or sealed for another field, contract or organisation"));
    }
    assertThat(book.find(plain)).isEmpty();
    assertThat(book.find(lifted)).isEmpty();
  }

  private static Object outcome(String contractId) {
    var all = outcomesOf(contractId);
    return all.isEmpty() ? null : all.get(0);
  }

  private static List<Object> outcomesOf(String contractId) {
    return OUTCOMES.stream().filter(r -> contractId.equals(r.key())).map(ConsumerRecord::value).toList();
  }

  private static SpecificRecord registered(String contractId, String token) {
    return LocalSealingKeys.sealed(ContractRegistered.newBuilder()
        .setHeader(header(contractId))
        .setSupporter(new Supporter("s-" + contractId, "山田 花子", "hanako@example.org"))
        .setAmountYen(3000).setInterval(BillingInterval.MONTHLY).setAnchorDay(1)
        .setFirstChargeOn(BILLING_DAY).setAppliedOn(BILLING_DAY.minusDays(20))
        .setCohort(Cohort.CURRENT).setPaymentMethodToken(token).build());
  }

  private static EventHeader header(String contractId) {
    return EventHeader.newBuilder().setEventId(UUID.randomUUID().toString()).setOrgId("org-1")
        .setContractId(contractId).setOccurredAt(Instant.parse("2030-04-10T00:00:00Z")).build();
  }

  private static void send(Endpoints endpoints, SpecificRecord... events) {
    TestEvents.send(endpoints, events);
  }
}
