package io.tsuzuku.status.config;

import com.mongodb.client.MongoClient;
import io.tsuzuku.schemas.RepaymentLinks;
import io.tsuzuku.schemas.SealedFields;
import io.tsuzuku.status.adapter.in.web.StatusLabels;
import io.tsuzuku.status.adapter.out.kafka.AvroMessageFactory;
import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import io.tsuzuku.status.adapter.out.mongo.MongoContractHistory;
import io.tsuzuku.status.adapter.out.mongo.MongoContractOutbox;
import io.tsuzuku.status.adapter.out.mongo.MongoContractStore;
import io.tsuzuku.status.adapter.out.mongo.MongoRefundsOwed;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.status.application.BillingRefunds;
import io.tsuzuku.status.application.CardUpdates;
import io.tsuzuku.status.application.ContractQueries;
import io.tsuzuku.status.application.BulkOperations;
import io.tsuzuku.status.application.ContractListing;
import io.tsuzuku.status.application.FirstFailureRequests;
import io.tsuzuku.status.application.AdminPolicy;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import io.tsuzuku.status.application.IdempotentRequests;
import io.tsuzuku.status.adapter.out.mongo.MongoContractSearch;
import io.tsuzuku.status.adapter.out.mongo.MongoSupporterCards;
import io.tsuzuku.status.adapter.out.mongo.MongoSupporterContacts;
import io.tsuzuku.status.adapter.out.mongo.MongoContactPolicies;
import io.tsuzuku.status.application.ContactBudget;
import io.tsuzuku.status.adapter.out.mongo.MongoBacktestJobs;
import io.tsuzuku.status.adapter.out.mongo.MongoStandingPlans;
import io.tsuzuku.status.adapter.out.mongo.MongoReports;
import io.tsuzuku.status.application.Backtests;
import io.tsuzuku.status.application.StandingRetries;
import io.tsuzuku.status.application.RecoveryAnalysis;
import io.tsuzuku.status.application.Reports;
import io.tsuzuku.status.adapter.out.mongo.MongoIdempotencyStore;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.tsuzuku.kit.MongoLeases;
import io.micrometer.core.instrument.MeterRegistry;
import io.tsuzuku.kit.outbox.ParkedMessages;
import io.tsuzuku.kit.outbox.OutboxRelay;
import io.tsuzuku.kit.PeriodicTask;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/** Wires the status service: the store, the use cases and the relay. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StatusLabels.class)
class StatusServiceConfiguration {

  /** The keys that open the supporters' contact details sealed for this service; no default: it does not start without them. */
  @Bean
  SealedFields.Opener supporterKeys(@Value("${tsuzuku.status.supporter-keys:}") String keys) {
    return SealedFields.Opener.of("tsuzuku.status.supporter-keys", keys);
  }

  /** The key pair that signs the re-payment links billing checks; no default: it does not start without it. */
  @Bean
  RepaymentLinks.Signer repaymentLinks(@Value("${tsuzuku.status.repayment-link-key:}") String keyPair) {
    return RepaymentLinks.Signer.of("tsuzuku.status.repayment-link-key", keyPair);
  }

  @Bean
  MongoContractStore contractStore(MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return new MongoContractStore(client.getDatabase(database));
  }

  @Bean
  MongoContractHistory contractHistory(MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return new MongoContractHistory(client.getDatabase(database));
  }

  @Bean
  MongoContractOutbox contractOutbox(MongoClient client, @Value("${spring.mongodb.database}") String database,
      MongoContractHistory history) {
    return new MongoContractOutbox(client.getDatabase(database), history);
  }

  /** The outbox relay: every interval, and at once after a use case saved messages. */
  @Bean
  PeriodicTask outboxRelay(
      MongoContractOutbox outbox,
      MongoClient client,
      @Value("${spring.mongodb.database}") String database,
      KafkaTemplate<String, SpecificRecord> template,
      ParkedMessages parkedMessages,
      MeterRegistry meters,
      @Value("${tsuzuku.status.relay.interval}") Duration interval) {
    var publisher = new KafkaMessagePublisher(template, KafkaMessagePublisher.TIMEOUT);
    var relay = new OutboxRelay<>("status-outbox", outbox, publisher,
        new MongoLeases(client.getDatabase(database)).named("status-outbox"), parkedMessages,
        KafkaMessagePublisher.TIMEOUT.multipliedBy(2), meters);
    return new PeriodicTask("outbox-relay", interval, null, relay::relayPending, relay::release);
  }

  @Bean
  MongoRefundsOwed refundsOwed(MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return new MongoRefundsOwed(client.getDatabase(database));
  }


  @Bean
  ContractQueries contractQueries(MongoContractStore store, MongoContractHistory history) {
    return new ContractQueries(store, history);
  }

  /** The system's clock, unless the local stack or a test brings one (a simulated or a movable clock). */
  @Bean
  @ConditionalOnMissingBean(Clock.class)
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  AdminPolicy adminPolicy(Environment environment) {
    return Binder.get(environment).bindOrCreate("tsuzuku.admin", AdminPolicy.class);
  }

  @Bean
  ContractListing contractListing(MongoClient client, @Value("${spring.mongodb.database}") String database,
      AdminPolicy policy, Clock clock) {
    return new ContractListing(new MongoContractSearch(client.getDatabase(database)), policy, clock);
  }

  @Bean
  ContactBudget contactBudget(MongoClient client, @Value("${spring.mongodb.database}") String database, AdminPolicy policy,
      Clock clock) {
    var db = client.getDatabase(database);
    return new ContactBudget(new MongoSupporterContacts(db), new MongoContactPolicies(db), clock, policy.zone());
  }

  @Bean
  BulkOperations bulkOperations(ContractEvents contracts, ContractListing listing, AdminPolicy policy, ContactBudget budget,
      Clock clock) {
    return new BulkOperations(contracts, listing, policy, budget, clock);
  }

  @Bean
  MongoReports mongoReports(MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return new MongoReports(client.getDatabase(database));
  }

  @Bean
  Reports reports(MongoReports reports, AdminPolicy policy, Clock clock) {
    return new Reports(reports, reports, reports, policy, clock);
  }

  /**
   * The backtests' threads: two run them, at most 64 waiting (one per organisation at a time); one
   * says every 30 seconds that the jobs this instance holds are alive. They stop with the context, as
   * a restarted instance's would. Not an {@code Executor} bean, which would stand in for Boot's own.
   */
  static final class BacktestThreads implements AutoCloseable {
    private final AtomicInteger threads = new AtomicInteger();
    final ThreadPoolExecutor runner = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64),
        task -> daemon(task, "backtest-" + threads.incrementAndGet()));
    final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "backtest-heartbeat"));

    @Override
    public void close() {
      heartbeat.shutdownNow();
      runner.shutdownNow();
    }

    private static Thread daemon(Runnable task, String name) {
      var thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    }
  }

  @Bean
  BacktestThreads backtestThreads() {
    return new BacktestThreads();
  }

  @Bean
  Backtests backtests(MongoReports reports, MongoClient client, @Value("${spring.mongodb.database}") String database,
      BacktestThreads threads, AdminPolicy policy, Clock clock) {
    var backtests = new Backtests(reports, new MongoBacktestJobs(client.getDatabase(database)), threads.runner, policy, clock);
    var every = Backtests.HEARTBEAT_EVERY.toMillis();
    threads.heartbeat.scheduleWithFixedDelay(backtests::heartbeat, every, every, TimeUnit.MILLISECONDS);
    return backtests;
  }

  @Bean
  StandingRetries standingRetries(MongoClient client, @Value("${spring.mongodb.database}") String database,
      BulkOperations operations, ContractEvents contracts, ContractListing listing, Clock clock,
      @Value("${tsuzuku.status.plans.lease}") Duration lease) {
    return new StandingRetries(new MongoStandingPlans(client.getDatabase(database)), operations, contracts, listing, clock,
        Clock.systemUTC(), lease);
  }

  /** Every poll interval: the standing retry plans whose time has come (a run another instance left is continued). */
  @Bean
  PeriodicTask standingPlanRuns(StandingRetries standingRetries,
      @Value("${tsuzuku.status.plans.poll-interval}") Duration interval) {
    var owner = "status-" + UUID.randomUUID();
    return new PeriodicTask("standing-plan-runs", interval, () -> standingRetries.runDue(owner));
  }

  /**
   * Every poll interval, on one instance at a time (lease {@code first-failure-requests}): the
   * re-payment requests on first failures, for the organisations that ask for them; counted by
   * what each came to ({@code tsuzuku_first_failure_requests_total}).
   */
  @Bean
  PeriodicTask firstFailureRequests(MongoClient client, @Value("${spring.mongodb.database}") String database,
      ContractListing listing, BulkOperations operations, Clock clock, MeterRegistry meters,
      @Value("${tsuzuku.status.first-failure-requests.poll-interval}") Duration interval) {
    var db = client.getDatabase(database);
    var requests = new FirstFailureRequests(new MongoContactPolicies(db), listing, operations, clock);
    var lease = new MongoLeases(db).named("first-failure-requests");
    var owner = "status-" + UUID.randomUUID();
    return new PeriodicTask("first-failure-requests", interval, null, () -> {
      var now = Instant.now(); // a lease's times are the machine's
      if (lease.hold(owner, now, now.plus(interval.multipliedBy(3)).plusSeconds(30))) {
        requests.sendDue().forEach(answer ->
            meters.counter("tsuzuku.first.failure.requests", "outcome", answer.outcome().name()).increment());
      }
    }, () -> lease.release(owner));
  }

  @Bean
  RecoveryAnalysis recoveryAnalysis(MongoReports reports, AdminPolicy policy, Clock clock) {
    return new RecoveryAnalysis(reports, policy, clock);
  }

  @Bean
  IdempotentRequests idempotentRequests(MongoClient client, @Value("${spring.mongodb.database}") String database, Clock clock,
      ContractListing listing, @Value("${tsuzuku.admin.idempotency-key-ttl:P7D}") Duration ttl) {
    return new IdempotentRequests(new MongoIdempotencyStore(client.getDatabase(database), clock,
        ttl.plus(IdempotentRequests.REFUSED_FOR)), listing, clock, ttl);
  }

  @Bean
  ContractEvents contractEvents(MongoContractStore store, PeriodicTask outboxRelay, RepaymentLinks.Signer repaymentLinks) {
    return new ContractEvents(store, new AvroMessageFactory(repaymentLinks), outboxRelay::nudge);
  }

  @Bean
  BillingRefunds billingRefunds(ContractEvents contracts, MongoRefundsOwed refunds) {
    return new BillingRefunds(contracts, refunds, new AvroMessageFactory());
  }

  @Bean
  CardUpdates cardUpdates(ContractEvents contracts, MongoClient client, @Value("${spring.mongodb.database}") String database) {
    return new CardUpdates(contracts, new MongoContractSearch(client.getDatabase(database)),
        new MongoSupporterCards(client.getDatabase(database)));
  }
}
