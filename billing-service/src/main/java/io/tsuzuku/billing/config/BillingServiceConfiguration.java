package io.tsuzuku.billing.config;

import com.mongodb.client.MongoClient;
import com.stripe.StripeClient;
import io.tsuzuku.billing.adapter.out.kafka.AvroOutcomeMessages;
import io.tsuzuku.billing.adapter.out.mongo.MongoBillingRuns;
import io.tsuzuku.billing.adapter.out.mongo.MongoCardAttempts;
import io.tsuzuku.billing.adapter.out.mongo.MongoLedger;
import io.tsuzuku.billing.adapter.out.processor.ByCohort;
import io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor;
import io.tsuzuku.billing.adapter.out.processor.StripePaymentProcessor;
import io.tsuzuku.billing.adapter.out.processor.UnconfiguredProcessor;
import io.tsuzuku.billing.application.ChargeAttempts;
import io.tsuzuku.billing.application.Charges;
import io.tsuzuku.billing.application.ContractBook;
import io.tsuzuku.billing.application.LedgerUpdates;
import io.tsuzuku.billing.application.Refunds;
import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.domain.DeclineOverrides;
import io.tsuzuku.billing.domain.FailureClass;
import io.tsuzuku.kit.PeriodicTask;
import io.tsuzuku.schemas.RepaymentLinks;
import io.tsuzuku.schemas.SealedFields;
import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import io.tsuzuku.kit.MongoLeases;
import io.micrometer.core.instrument.MeterRegistry;
import io.tsuzuku.kit.outbox.ParkedMessages;
import io.tsuzuku.kit.outbox.OutboxRelay;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaTemplate;

/** Wires billing: the ledger, the processors, the use cases, the relay, the daily run and reconciliation. */
@Configuration(proxyBeanMethods = false)
class BillingServiceConfiguration {

  /** The system's clock, unless the local stack or a test brings one (a simulated or a movable clock). */
  @Bean
  @ConditionalOnMissingBean(Clock.class)
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  MongoLedger ledgerStore(MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return new MongoLedger(client.getDatabase(database));
  }

  /**
   * The processors, named explicitly, never by default: {@code tsuzuku.billing.processor} (stripe,
   * or simulator in the local stack) for current-cohort contracts, {@code
   * tsuzuku.billing.legacy-processor} (none, or simulator in the local stack) for legacy ones, whose
   * charges are then refused with {@code processor_not_configured}. Instances in one JVM (the
   * local stack's) share the simulator there is, as instances share a processor.
   */
  @Bean
  PaymentProcessor paymentProcessor(
      Clock clock,
      @Value("${tsuzuku.billing.zone}") ZoneId zone,
      @Value("${tsuzuku.billing.simulator.latency}") Duration latency,
      @Value("${tsuzuku.billing.processor:}") String processor,
      @Value("${tsuzuku.billing.legacy-processor:}") String legacyProcessor,
      @Value("${tsuzuku.billing.stripe.api-key:}") String stripeKey,
      @Value("${tsuzuku.billing.stripe.api-base:https://api.stripe.com}") String stripeBase,
      ObjectProvider<SimulatedPaymentProcessor.Shared> sharedSimulator) {
    var shared = sharedSimulator.getIfAvailable();
    var simulator = shared != null ? shared.processor() : new SimulatedPaymentProcessor(clock, zone, latency);
    PaymentProcessor current = switch (processor) {
      case "simulator" -> simulator;
      case "stripe" -> {
        if (stripeKey.isBlank()) {
          throw new IllegalStateException("tsuzuku.billing.processor=stripe needs the Stripe key: the secret file tsuzuku.billing.stripe.api-key (compose), or STRIPE_API_KEY");
        }
        yield new StripePaymentProcessor(StripeClient.builder()
            .setApiKey(stripeKey).setApiBase(stripeBase).setMaxNetworkRetries(0).setReadTimeout(30_000).build(), clock);
      }
      default -> throw new IllegalStateException(
          "name the payment processor: PAYMENT_PROCESSOR=stripe (or simulator, in the local stack only); got '" + processor + "'");
    };
    PaymentProcessor legacy = switch (legacyProcessor) {
      case "simulator" -> simulator;
      case "none", "" -> new UnconfiguredProcessor("legacy");
      default -> throw new IllegalStateException("unknown legacy processor '" + legacyProcessor + "' (none or simulator)");
    };
    return new ByCohort(current, legacy);
  }

  /** The outbox relay: every interval, and at once after a ledger write with messages. */
  @Bean
  PeriodicTask outboxRelay(MongoLedger store, MongoClient client, @Value("${spring.mongodb.database}") String database,
      KafkaTemplate<String, SpecificRecord> template, ParkedMessages parkedMessages, MeterRegistry meters,
      @Value("${tsuzuku.billing.relay-interval}") Duration interval) {
    var relay = new OutboxRelay<>("billing-outbox", store.outbox(), new KafkaMessagePublisher(template, KafkaMessagePublisher.TIMEOUT),
        new MongoLeases(client.getDatabase(database)).named("billing-outbox"), parkedMessages,
        KafkaMessagePublisher.TIMEOUT.multipliedBy(2), meters);
    return new PeriodicTask("billing-outbox-relay", interval, null, relay::relayPending, relay::release);
  }

  @Bean
  LedgerUpdates ledgerUpdates(MongoLedger store, PeriodicTask outboxRelay) {
    return new LedgerUpdates(store, new AvroOutcomeMessages(), outboxRelay::nudge);
  }

  /** The status-service's public keys, which check the re-payment links; no default: it does not start without them. */
  @Bean
  RepaymentLinks.Verifier repaymentLinks(@Value("${tsuzuku.billing.repayment-link-keys:}") String keys) {
    return RepaymentLinks.Verifier.of("tsuzuku.billing.repayment-link-keys", keys);
  }

  /** Billing's keys, which open the payment-method tokens sealed for it; no default: it does not start without them. */
  @Bean
  SealedFields.Opener paymentMethodKeys(@Value("${tsuzuku.billing.payment-method-keys:}") String keys) {
    return SealedFields.Opener.of("tsuzuku.billing.payment-method-keys", keys);
  }

  @Bean
  ContractBook contractBook(LedgerUpdates ledger) {
    return new ContractBook(ledger);
  }

  @Bean
  ChargeAttempts chargeAttempts(LedgerUpdates ledger, MongoLedger store, PaymentProcessor processor, Clock clock,
      @Value("${tsuzuku.billing.zone}") ZoneId zone,
      @Value("${tsuzuku.billing.reconcile.not-found-after}") Duration notFoundAfter,
      @Value("${tsuzuku.billing.reconcile.stuck-after}") Duration stuckAfter, MeterRegistry meters, Environment environment,
      MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return new ChargeAttempts(ledger, store, processor, clock, zone, notFoundAfter, stuckAfter,
        attempt -> meters.counter("tsuzuku.charges", "outcome", attempt.state().name(), "kind", attempt.kind().name(),
            "failure", attempt.failureClass() == null ? "none" : attempt.failureClass().name()).increment(),
        declineOverrides(environment), new MongoCardAttempts(client.getDatabase(database)));
  }

  /** {@code tsuzuku.billing.declines.<orgId>.<decline code>: <class>} (docs/retry-policy.md, "Declines"). */
  static DeclineOverrides declineOverrides(Environment environment) {
    var type = ResolvableType.forClassWithGenerics(Map.class, ResolvableType.forClass(String.class),
        ResolvableType.forClassWithGenerics(Map.class, String.class, FailureClass.class));
    return new DeclineOverrides(Binder.get(environment).<Map<String, Map<String, FailureClass>>>bind("tsuzuku.billing.declines",
        Bindable.of(type)).orElse(Map.of()));
  }

  @Bean(destroyMethod = "shutdown")
  ExecutorService billingWorkers(@Value("${tsuzuku.billing.concurrency}") int concurrency) {
    return Executors.newFixedThreadPool(concurrency, r -> new Thread(r, "billing-worker"));
  }

  @Bean
  Charges charges(ChargeAttempts attempts, LedgerUpdates ledger, MongoLedger store, MongoClient client,
      @Value("${spring.mongodb.database}") String database, Clock clock,
      @Value("${tsuzuku.billing.zone}") ZoneId zone, @Value("${tsuzuku.billing.run-at}") LocalTime runAt,
      @Value("${tsuzuku.billing.run-lease}") Duration lease, ExecutorService billingWorkers) {
    return new Charges(attempts, ledger, store, new MongoBillingRuns(client.getDatabase(database)), clock, Clock.systemUTC(), zone, runAt, lease,
        billingWorkers);
  }

  /** Every poll interval: the day's billing once its time has come (resumed by another instance if this one dies). */
  @Bean
  PeriodicTask billingRun(Charges charges, @Value("${tsuzuku.billing.poll-interval}") Duration interval) {
    var owner = "billing-" + UUID.randomUUID();
    return new PeriodicTask("billing-run", interval, () -> charges.runIfDue(owner));
  }

  /**
   * Refunds due are issued at the processor for the organisations listed in {@code
   * tsuzuku.billing.refunds.automatic-organisations}; the others' are listed for their
   * administrators, whose settlements reach billing.
   */
  @Bean
  Refunds refunds(LedgerUpdates ledger, MongoLedger store, PaymentProcessor processor, Clock clock,
      @Value("${tsuzuku.billing.refunds.automatic-organisations:}") Set<String> automatic) {
    return new Refunds(ledger, store, processor, clock, automatic);
  }

  /** Every reconcile interval, the refunds due of the automatic organisations are issued. */
  @Bean
  PeriodicTask refundIssuing(Refunds refunds, @Value("${tsuzuku.billing.reconcile.interval}") Duration interval) {
    return new PeriodicTask("billing-refunds", interval, refunds::issueDue);
  }

  /** Every reconcile interval: attempts in flight are read back from the processor, never charged again. */
  @Bean
  PeriodicTask reconciliation(ChargeAttempts attempts, @Value("${tsuzuku.billing.reconcile.interval}") Duration interval) {
    return new PeriodicTask("billing-reconciliation", interval, attempts::reconcile);
  }
}
