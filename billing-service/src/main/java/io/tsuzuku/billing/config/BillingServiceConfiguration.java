package io.tsuzuku.billing.config;

import com.mongodb.client.MongoClient;
import io.tsuzuku.billing.adapter.out.kafka.KafkaOutcomePublisher;
import io.tsuzuku.billing.adapter.out.mongo.MongoAttempts;
import io.tsuzuku.billing.adapter.out.mongo.MongoContractBook;
import io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor;
import io.tsuzuku.billing.adapter.out.processor.StripePaymentProcessor;
import com.stripe.StripeClient;
import io.tsuzuku.billing.application.ChargeAttempts;
import io.tsuzuku.billing.application.Charges;
import io.tsuzuku.billing.application.ContractBook;
import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.schemas.spring.PeriodicTask;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/** Wires billing: the stores, the processor, the use cases and the daily run. */
@Configuration(proxyBeanMethods = false)
class BillingServiceConfiguration {

  /** The system's clock, unless the local stack or a test brings one (a simulated or a movable clock). */
  @Bean
  @ConditionalOnMissingBean(Clock.class)
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  MongoContractBook contractBookStore(MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return new MongoContractBook(client.getDatabase(database));
  }

  @Bean
  MongoAttempts attemptStore(MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return new MongoAttempts(client.getDatabase(database));
  }

  /**
   * The simulator, or Stripe ({@code tsuzuku.billing.processor=stripe}). Legacy-cohort contracts
   * always go to the simulator: their legacy processor is out of reach.
   */
  @Bean
  PaymentProcessor paymentProcessor(
      Clock clock,
      @Value("${tsuzuku.billing.zone}") ZoneId zone,
      @Value("${tsuzuku.billing.simulator.latency}") Duration latency,
      @Value("${tsuzuku.billing.processor}") String processor,
      @Value("${tsuzuku.billing.stripe.api-key:}") String stripeKey,
      @Value("${tsuzuku.billing.stripe.api-base:https://api.stripe.com}") String stripeBase) {
    var simulator = new SimulatedPaymentProcessor(clock, zone, latency);
    if (!"stripe".equals(processor)) {
      return simulator;
    }
    var stripe = new StripePaymentProcessor(StripeClient.builder()
        .setApiKey(stripeKey).setApiBase(stripeBase).setMaxNetworkRetries(0).setReadTimeout(30_000).build());
    return charge -> charge.legacyCohort() ? simulator.charge(charge) : stripe.charge(charge);
  }

  @Bean
  ContractBook contractBook(MongoContractBook store, @Value("${tsuzuku.billing.zone}") ZoneId zone) {
    return new ContractBook(store, zone);
  }

  @Bean
  ChargeAttempts chargeAttempts(MongoAttempts attempts, PaymentProcessor processor, KafkaTemplate<String, SpecificRecord> template, Clock clock) {
    return new ChargeAttempts(attempts, processor, new KafkaOutcomePublisher(template, Duration.ofSeconds(10)), clock);
  }

  @Bean(destroyMethod = "shutdown")
  ExecutorService billingWorkers(@Value("${tsuzuku.billing.concurrency}") int concurrency) {
    return Executors.newFixedThreadPool(concurrency, r -> new Thread(r, "billing-worker"));
  }

  @Bean
  Charges charges(ChargeAttempts attempts, ContractBook book, MongoContractBook bookStore, MongoAttempts attemptStore, Clock clock,
      @Value("${tsuzuku.billing.zone}") ZoneId zone, @Value("${tsuzuku.billing.run-at}") LocalTime runAt, ExecutorService billingWorkers) {
    return new Charges(attempts, book, bookStore, attemptStore, bookStore, clock, zone, runAt, billingWorkers);
  }

  /**
   * At start, reconciles the attempts a crash left PENDING; then, every poll interval, runs the
   * day's billing once its time has come (once per day, whichever instance gets there first).
   */
  @Bean
  PeriodicTask billingRun(Charges charges, ChargeAttempts attempts, @Value("${tsuzuku.billing.poll-interval}") Duration interval) {
    return new PeriodicTask("billing-run", interval, attempts::reconcilePending, charges::runIfDue);
  }
}
