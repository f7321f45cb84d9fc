package io.tsuzuku.systemtests.model;

import io.tsuzuku.standins.LocalSealingKeys;
import io.tsuzuku.billing.domain.DeclineOverrides;
import io.tsuzuku.billing.domain.FailureClass;
import io.tsuzuku.billing.adapter.in.kafka.BillingRecords;
import io.tsuzuku.billing.adapter.out.kafka.AvroOutcomeMessages;
import io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor;
import io.tsuzuku.billing.application.ChargeAttempts;
import io.tsuzuku.billing.application.Charges;
import io.tsuzuku.billing.application.ContractBook;
import io.tsuzuku.billing.application.InMemoryBilling;
import io.tsuzuku.billing.application.LedgerUpdates;
import io.tsuzuku.billing.application.Refunds;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.crmsync.adapter.in.kafka.CrmSyncRecords;
import io.tsuzuku.crmsync.application.StatusMirror;
import io.tsuzuku.events.BillingInterval;
import io.tsuzuku.events.Cohort;
import io.tsuzuku.events.ContractCancellationRequested;
import io.tsuzuku.events.ContractRegistered;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.PaymentMethodUpdated;
import io.tsuzuku.events.RepaymentSubmitted;
import io.tsuzuku.events.Requester;
import io.tsuzuku.events.Supporter;
import io.micrometer.observation.ObservationRegistry;
import io.tsuzuku.kit.InboundBatch;
import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import io.tsuzuku.kit.outbox.MessagePublisher;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.kit.outbox.OutboxRelay;
import io.tsuzuku.retry.adapter.in.kafka.RetryRecords;
import io.tsuzuku.retry.adapter.out.kafka.AvroRetryMessages;
import io.tsuzuku.retry.application.DueJobs;
import io.tsuzuku.retry.application.Fakes;
import io.tsuzuku.retry.application.RetryScheduling;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import io.tsuzuku.retry.domain.RetryPolicies;
import io.tsuzuku.retry.domain.RetryPlanner;
import io.tsuzuku.retry.domain.RetryPolicy;
import io.tsuzuku.schemas.RepaymentLinks;
import io.tsuzuku.schemas.Topics;
import io.tsuzuku.schemas.UnprocessableRecordException;
import io.tsuzuku.status.adapter.in.kafka.StatusRecords;
import io.tsuzuku.status.adapter.out.kafka.AvroMessageFactory;
import io.tsuzuku.status.application.AdminPolicy;
import io.tsuzuku.status.application.BillingRefunds;
import io.tsuzuku.status.application.BulkOperations;
import io.tsuzuku.status.application.CardUpdates;
import io.tsuzuku.status.application.ContractEvents;
import io.tsuzuku.status.application.ContractFilter;
import io.tsuzuku.status.application.ContractListing;
import io.tsuzuku.status.application.IdempotentRequests;
import io.tsuzuku.status.application.InMemoryContractStore;
import io.tsuzuku.status.application.InMemoryIdempotencyStore;
import io.tsuzuku.status.application.InMemoryRefundsOwed;
import io.tsuzuku.status.application.InMemorySupporterCards;
import io.tsuzuku.status.application.InMemorySupporterContacts;
import io.tsuzuku.status.application.Selection;
import io.tsuzuku.status.application.StoredContract;
import io.tsuzuku.status.domain.Actor;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.ContractEvent;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.testkit.MovableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchListenerFailedException;

/**
 * The four services' application cores, each wired as its service wires it but on in-memory
 * stores, and joined by an in-memory bus ({@link ModelBus}) instead of Kafka: the records they
 * exchange are the real ones, handed to each service by the same mapping its listeners use
 * ({@code BillingRecords}, {@code RetryRecords}, {@code StatusRecords}, {@code CrmSyncRecords}).
 * One random history drives them: the donation forms and the re-payment form publish (re-payments,
 * and new cards for every contract of a supporter, who may have several), the
 * administrators act, time moves (to midnights and billing runs especially), and the model picks
 * which service reads which record next, runs timers and relays in any order, makes services die
 * between writes and before committing what they read, and makes the processor lose answers, go
 * down and read behind its writes. Each service has its own clock, a few seconds off the others.
 *
 * <p>{@link #settle()} then lets everything finish without faults, and {@link ModelChecks} judges
 * the services' agreement.
 */
final class CrossServiceModel implements AutoCloseable {

  static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  /** An organisation whose refunds billing issues, with the default retry policy. */
  static final String AUTOMATIC = "org-automatic";
  /** An organisation that refunds by hand and retries nothing automatically. */
  static final String BY_HAND = "org-by-hand";
  static final LocalDate START = LocalDate.of(2027, 3, 1);
  /** The organisation that refunds by hand also takes insufficient funds as needing a new card. */
  static final DeclineOverrides DECLINES =
      new DeclineOverrides(Map.of(BY_HAND, Map.of("insufficient_funds", FailureClass.HARD_DECLINE)));
  private static final Actor ADMINISTRATOR = Actor.administrator("admin@example.org");

  private final long seed;
  final Random random;
  /** The true time; each service reads it through its own skew. */
  final MovableClock clock = new MovableClock(START.atTime(8, 0).atZone(TOKYO).toInstant());
  final Duration statusSkew;
  /** The status-service's clock, which the administrators' requests read. */
  private final Clock statusClockForAdmins;
  final ModelBus bus = new ModelBus(List.of(Topics.BILLING_SERVICE, Topics.RETRY_SERVICE, Topics.STATUS_SERVICE,
      Topics.CRM_SYNC_SERVICE));
  final ModelProcessor processor;
  /** What happened, in order: a failure prints it. */
  final List<String> history = new ArrayList<>();
  /** The contracts registered, by id, with their organisation. */
  final Map<String, String> contracts = new LinkedHashMap<>();
  private final List<String> cards = new ArrayList<>();
  /** Records a service could not handle, with why (a valid record must never be dead-lettered). */
  final List<String> deadLettered = new ArrayList<>();
  /** Why each log's head last failed, by group, topic and key. */
  final Map<ModelBus.Head, String> lastFailures = new LinkedHashMap<>();

  // billing
  final InMemoryBilling ledger = new InMemoryBilling();
  final ChargeAttempts attempts;
  private final Charges charges;
  private final Refunds refunds;
  private final BillingRecords billing;
  private final ContractBook book;
  private final OutboxRelay<InMemoryBilling.Stored> billingRelay;
  private final ExecutorService billingWorkers = Executors.newSingleThreadExecutor();
  // retry
  final Fakes.Jobs jobs = new Fakes.Jobs(this::relayAtOnce);
  final Fakes.Views views = new Fakes.Views(this::relayAtOnce);
  private final DueJobs dueJobs;
  private final RetryRecords retry;
  private final RetryScheduling scheduling;
  // status
  final InMemoryContractStore statusStore = new InMemoryContractStore();
  final InMemoryRefundsOwed refundsOwed = new InMemoryRefundsOwed();
  final ContractEvents statusContracts;
  private final BillingRefunds billingRefunds;
  private final StatusRecords status;
  private final OutboxRelay<StoredContract> statusRelay;
  private final InMemoryIdempotencyStore idempotency;
  private final InMemorySupporterContacts contacts = new InMemorySupporterContacts();
  private final IdempotentRequests bulkRequests;
  private final BulkOperations bulk;
  /** Each bulk request's key: its organisation, what it does and, for a manual retry, its date. */
  private final Map<String, BulkRequest> bulkKeys = new LinkedHashMap<>();
  /** Answers to a bulk request that name a contract its key did not resolve. */
  final List<String> bulkStrayed = new ArrayList<>();
  // crm-sync
  final ModelMirror mirror = new ModelMirror();
  private final CrmSyncRecords crmSync;
  private final StatusMirror statusMirror;
  /** A batch listener's poll, handled as the services' listeners handle one. */
  private final InboundBatch batches = new InboundBatch(ObservationRegistry.NOOP);

  /** Whether faults happen now (off while the model settles). */
  private boolean faults = true;
  private int cardNumber;

  CrossServiceModel(long seed) {
    this.seed = seed;
    random = new Random(seed);
    processor = new ModelProcessor(clock, TOKYO, random);
    processor.readLag = Duration.ofMinutes(random.nextInt(4) * 20L);
    var billingClock = skewed();
    var retryClock = skewed();
    statusSkew = Duration.ofMillis(random.nextInt(4001) - 2000);
    var statusClock = Clock.offset(clock, statusSkew);

    var ledgerUpdates = new LedgerUpdates(ledger, new AvroOutcomeMessages(), () -> {});
    attempts = new ChargeAttempts(ledgerUpdates, ledger, processor, billingClock, TOKYO, Duration.ofMinutes(10), Duration.ofHours(1),
        attempt -> {}, DECLINES, ledger);
    refunds = new Refunds(ledgerUpdates, ledger, processor, billingClock, Set.of(AUTOMATIC));
    charges = new Charges(attempts, ledgerUpdates, ledger, ledger, billingClock, clock, TOKYO, LocalTime.of(9, 0), Duration.ofMinutes(5),
        billingWorkers);
    book = new ContractBook(ledgerUpdates);
    billing = new BillingRecords(book, charges, refunds, LocalSealingKeys.billing(),
        RepaymentLinks.Verifier.of("links", LocalSealingKeys.REPAYMENT_LINK_PUBLIC));
    billingRelay = OutboxRelay.sole(ledger, MessagePublisher.oneByOne(this::relay));

    var policies = new RetryPolicies(RetryPolicy.DEFAULT, Map.of(BY_HAND, new RetryPolicy(0, Period.ofDays(7), LocalTime.of(10, 0))));
    scheduling = new RetryScheduling(views, jobs, new AvroRetryMessages(), new RetryPlanner(policies, TOKYO));
    retry = new RetryRecords(scheduling);
    dueJobs = new DueJobs(jobs, views, new AvroRetryMessages(), retryClock, retryClock, Duration.ofMinutes(5), TOKYO);

    statusContracts = new ContractEvents(statusStore, new AvroMessageFactory(), () -> {});
    billingRefunds = new BillingRefunds(statusContracts, refundsOwed, new AvroMessageFactory());
    var cardUpdates = new CardUpdates(statusContracts, (orgId, supporterId) -> statusStore.documents.values().stream()
        .map(StoredContract::contract)
        .filter(c -> c.orgId().equals(orgId) && c.supporter() != null && c.supporter().supporterId().equals(supporterId))
        .sorted(Comparator.comparing(Contract::contractId))
        .toList(), new InMemorySupporterCards());
    status = new StatusRecords(statusContracts, billingRefunds, cardUpdates, LocalSealingKeys.status());
    statusRelay = OutboxRelay.sole(statusStore, MessagePublisher.oneByOne(this::relay));
    statusClockForAdmins = statusClock;
    var adminPolicy = new AdminPolicy(TOKYO, Duration.ofDays(90), LocalTime.of(10, 0), Duration.ofDays(30), 5);
    var listing = new ContractListing((orgId, filter, afterId, limit) -> statusStore.documents.values().stream()
        .map(StoredContract::contract)
        .filter(c -> c.orgId().equals(orgId) && filter.matches(c) && (afterId == null || c.contractId().compareTo(afterId) > 0))
        .sorted(Comparator.comparing(Contract::contractId))
        .limit(limit)
        .toList(), adminPolicy, statusClock);
    idempotency = new InMemoryIdempotencyStore(statusClock);
    bulkRequests = new IdempotentRequests(idempotency, listing, statusClock, Duration.ofDays(7));
    bulk = new BulkOperations(statusContracts, listing, adminPolicy, contacts.budget(statusClock, adminPolicy.zone()), statusClock);

    statusMirror = new StatusMirror(mirror, clock, 1_000, () -> {});
    crmSync = new CrmSyncRecords(statusMirror);
  }

  private Clock skewed() {
    return Clock.offset(clock, Duration.ofMillis(random.nextInt(4001) - 2000));
  }

  // --- the history

  /** A random history of {@code days} days from {@link #START}. */
  void run(int days) {
    var end = START.plusDays(days).atStartOfDay(TOKYO).toInstant();
    int registrations = 2 + random.nextInt(3);
    for (int i = 0; i < registrations; i++) {
      register("c-" + i);
    }
    while (clock.instant().isBefore(end)) {
      step();
    }
  }

  private void step() {
    processor.faulty = faults;
    int roll = random.nextInt(100);
    if (roll < 45) {
      var head = bus.anyHead(random);
      if (head != null && batchListener(head.group(), head.topic()) != null) {
        deliverPoll(head.group(), head.topic());
      } else if (head != null) {
        deliver(head);
      }
    } else if (roll < 52) {
      relay(billingRelay);
    } else if (roll < 59) {
      relay(statusRelay);
    } else if (roll < 65) {
      dying(() -> charges.runIfDue("billing-" + (1 + random.nextInt(2))), "billing run");
    } else if (roll < 69) {
      dying(attempts::reconcile, "billing reconciliation");
    } else if (roll < 72) {
      dying(refunds::issueDue, "billing refunds");
    } else if (roll < 78) {
      dying(() -> dueJobs.runDue("retry-" + (1 + random.nextInt(2))), "retry jobs");
    } else if (roll < 89) {
      advanceTime();
    } else {
      act();
    }
  }

  /** One service reads the record at the head of one log; it may die before or after its writes. */
  private void deliver(ModelBus.Head head) {
    var crashed = armCrash();
    try {
      handler(head.group()).accept(head.record());
    } catch (UnprocessableRecordException e) {
      deadLettered.add(head.group() + " dead-lettered " + describe(head.record()) + ": " + e.getMessage());
      bus.commit(head);
      return;
    } catch (RuntimeException e) {
      // died, or the record waits for something (its contract not known yet): it comes again
      lastFailures.put(head, e.toString());
      return;
    } finally {
      disarm();
    }
    if (crashed && random.nextInt(3) == 0) {
      return; // died after handling it, before committing the offset: it comes again
    }
    bus.commit(head);
  }

  /**
   * A batch listener's poll of a topic: handled as the service's listener handles it; a record
   * that fails is named, the records before it committed, it and those after it come again (an
   * unprocessable one is dead-lettered and committed). A service that dies during the poll, or
   * after it before its commit, commits none of it: all come again.
   */
  private void deliverPoll(String group, String topic) {
    var poll = bus.poll(random, group, topic, 1 + random.nextInt(6));
    var records = new ArrayList<ConsumerRecord<String, Object>>();
    for (var head : poll) {
      records.add(new ConsumerRecord<>(topic, 0, records.size(), head.key(), head.record()));
    }
    var crashed = armCrash();
    int handled = poll.size();
    RuntimeException failure = null;
    try {
      batchListener(group, topic).accept(records);
    } catch (BatchListenerFailedException e) {
      handled = records.indexOf(e.getRecord());
      failure = e.getCause() instanceof RuntimeException cause ? cause : e;
    } catch (RuntimeException e) { // the service died before it named a record
      handled = 0;
      failure = e;
    } finally {
      disarm();
    }
    if (crashed && (failure != null || random.nextInt(3) == 0)) {
      return; // died during the poll, or after it before committing: every record comes again
    }
    for (int i = 0; i < handled; i++) {
      bus.commit(poll.get(i));
    }
    if (failure instanceof UnprocessableRecordException) {
      var head = poll.get(handled);
      deadLettered.add(group + " dead-lettered " + describe(head.record()) + ": " + failure.getMessage());
      bus.commit(head);
    } else if (failure != null) {
      lastFailures.put(poll.get(handled), failure.toString()); // it waits for something: it comes again
    }
  }

  /** The service's batch listener of the topic, as its listeners class calls it; null where it listens record by record. */
  private Consumer<List<ConsumerRecord<String, Object>>> batchListener(String group, String topic) {
    return switch (group) {
      case Topics.BILLING_SERVICE -> topic.equals(Topics.CONTRACT_REGISTERED.name())
          || topic.equals(Topics.CONTRACT_STATUS_CHANGED.name())
          ? polled -> batches.handle(polled, billing::update, book::applyAll, billing::handle) : null;
      case Topics.RETRY_SERVICE -> Set.of(Topics.CONTRACT_REGISTERED.name(), Topics.CONTRACT_STATUS_CHANGED.name(),
          Topics.PAYMENT_OUTCOMES.name(), Topics.MANUAL_RETRY_REQUESTED.name()).contains(topic)
          ? polled -> batches.handle(polled, retry::event, scheduling::applyAll, retry::handle) : null;
      case Topics.STATUS_SERVICE -> topic.equals(Topics.CONTRACT_REGISTERED.name())
          ? polled -> batches.handle(polled, status::registration, status::registerAll, status::other)
          : topic.equals(Topics.PAYMENT_OUTCOMES.name()) || topic.equals(Topics.RETRY_EVENTS.name())
              ? polled -> batches.handle(polled, StatusRecords::event, statusContracts::applyAll, status::other) : null;
      case Topics.CRM_SYNC_SERVICE -> topic.equals(Topics.CONTRACT_STATUS_CHANGED.name())
          ? polled -> batches.handle(polled, CrmSyncRecords::incoming, statusMirror::statusChangedAll, crmSync::handle) : null;
      default -> null;
    };
  }

  private Consumer<Object> handler(String group) {
    return switch (group) {
      case Topics.BILLING_SERVICE -> billing::handle;
      case Topics.RETRY_SERVICE -> retry::handle;
      case Topics.STATUS_SERVICE -> status::handle;
      default -> crmSync::handle;
    };
  }

  /** A timer's pass, during which its service may die between writes; the next pass resumes. */
  private void dying(Runnable pass, String what) {
    armCrash();
    try {
      pass.run();
    } catch (RuntimeException e) {
      history.add(at() + " " + what + " died: " + e.getMessage());
    } finally {
      disarm();
    }
  }

  private void relay(OutboxRelay<?> relay) {
    try {
      relay.relayPending();
    } catch (RuntimeException e) {
      history.add(at() + " relay failed: " + e.getMessage());
    }
  }

  /** A relayed message goes to the bus; its acknowledgement may be lost, so it is published again later. */
  private void relay(OutboxMessage message) {
    bus.publish(message.contractId(), KafkaMessagePublisher.decode(message));
    if (faults && random.nextInt(15) == 0) {
      throw new IllegalStateException("the broker's acknowledgement was lost");
    }
  }

  /** The retry service's stores relay what they save at once (the relay's own faults are the same as the others'). */
  private void relayAtOnce(List<OutboxMessage> messages) {
    messages.forEach(m -> bus.publish(m.contractId(), KafkaMessagePublisher.decode(m)));
  }

  /** Now and then, the next writes of every service die after a few succeed; true when armed. */
  private boolean armCrash() {
    if (!faults || random.nextInt(8) != 0) {
      return false;
    }
    ledger.dieAfterWrites(random.nextInt(3));
    Runnable dying = dyingAfter(random.nextInt(3));
    jobs.beforeWrite = dying;
    views.beforeWrite = dying;
    statusStore.beforeWrite = dyingAfter(random.nextInt(3));
    return true;
  }

  private void disarm() {
    ledger.dieAfterWrites(-1);
    ledger.dieOnNextWrite = false;
    jobs.beforeWrite = () -> {};
    views.beforeWrite = () -> {};
    statusStore.beforeWrite = () -> {};
  }

  private static Runnable dyingAfter(int writes) {
    var left = new int[] {writes};
    return () -> {
      if (left[0]-- == 0) {
        throw new IllegalStateException("the process died before the write");
      }
    };
  }

  private void advanceTime() {
    var now = clock.instant().atZone(TOKYO);
    ZonedDateTime next = switch (random.nextInt(6)) {
      case 0 -> now.plusSeconds(1 + random.nextInt(90));
      case 1 -> nextAt(now, LocalTime.of(9, 0, random.nextInt(3)));
      case 2 -> nextAt(now, LocalTime.of(23, 59, 59));
      case 3 -> nextAt(now, LocalTime.of(0, 0, 0, 500_000_000));
      case 4 -> nextAt(now, LocalTime.of(10, 0, random.nextInt(3)));
      default -> now.plusHours(1 + random.nextInt(20));
    };
    clock.set(next.toInstant());
    if (faults && random.nextInt(30) == 0) {
      processor.down = !processor.down;
      history.add(at() + " processor " + (processor.down ? "down" : "up"));
    }
  }

  private static ZonedDateTime nextAt(ZonedDateTime now, LocalTime time) {
    var today = now.toLocalDate().atTime(time).atZone(TOKYO);
    return today.isAfter(now) ? today : today.plusDays(1);
  }

  /** Someone outside the services acts: a supporter, a donation form, an administrator. */
  private void act() {
    var contractId = List.copyOf(contracts.keySet()).get(random.nextInt(contracts.size()));
    var orgId = contracts.get(contractId);
    var shown = statusContracts.find(contractId).orElse(null);
    var billed = ledger.find(contractId).orElse(null);
    switch (random.nextInt(9)) {
      case 0, 1 -> { // now and then a supporter tries again and again, or gives a new card for all their contracts
        if (random.nextInt(4) == 0) {
          updateCard(contractId, orgId);
          return;
        }
        int tries = random.nextInt(3) == 0 ? 3 + random.nextInt(8) : 1;
        for (int i = 0; billed != null && billed.outstandingPeriod() != null && i < tries; i++) {
          repay(contractId, orgId, billed.outstandingPeriod());
        }
      }
      case 2 -> repayOnTheDeadlinesEve(contractId, orgId, billed);
      case 3 -> {
        if (shown != null && shown.status() == Status.ERROR) {
          var today = LocalDate.now(statusClockForAdmins.withZone(TOKYO));
          var retryOn = today.plusDays(random.nextInt(3));
          var runAt = retryOn.equals(today) ? statusClockForAdmins.instant() : retryOn.atTime(10, 0).atZone(TOKYO).toInstant();
          admin(contractId, "manual retry on " + retryOn,
              new ContractEvent.ManualRetryRequested(eventId(), statusClockForAdmins.instant(), ADMINISTRATOR, retryOn, runAt));
        }
      }
      case 4 -> {
        if (shown != null && shown.pendingManualRetry() != null) {
          admin(contractId, "withdraws the manual retry",
              new ContractEvent.ManualRetryWithdrawn(eventId(), statusClockForAdmins.instant(), ADMINISTRATOR));
        }
      }
      case 5 -> {
        if (shown != null && random.nextInt(4) == 0) {
          admin(contractId, "cancels",
              new ContractEvent.CancellationRequested(eventId(), statusClockForAdmins.instant(), ADMINISTRATOR, "bulk cancellation"));
        }
      }
      case 6 -> {
        if (random.nextInt(4) == 0) {
          history.add(at() + " the supporter cancels " + contractId + " on the form");
          publish(contractId, ContractCancellationRequested.newBuilder().setHeader(header(orgId, contractId))
              .setRequestedBy(Requester.SUPPORTER).setReason("supporter's choice").build());
        }
      }
      case 7 -> settleRefundsByHand();
      default -> bulkRequest(orgId);
    }
  }

  /** A bulk request of the console: what it does to every contract its filter matches. */
  private record BulkRequest(String orgId, int kind, LocalDate retryOn) {}

  /**
   * An administrator acts on every ERROR contract of the organisation by filter, under a key: a
   * manual retry, final notices or a cancellation; now and then the same key again (a repeat after
   * no answer came, maybe after the status-service died half-way). Every answer under a key names
   * only contracts its first request resolved.
   */
  private void bulkRequest(String orgId) {
    var repeat = !bulkKeys.isEmpty() && random.nextInt(3) == 0;
    var key = repeat ? List.copyOf(bulkKeys.keySet()).get(random.nextInt(bulkKeys.size())) : "bulk-" + (bulkKeys.size() + 1);
    var request = bulkKeys.computeIfAbsent(key, k ->
        new BulkRequest(orgId, random.nextInt(3), LocalDate.now(statusClockForAdmins.withZone(TOKYO)).plusDays(random.nextInt(3))));
    var filter = new Selection.Matching(ContractFilter.inStatus(Status.ERROR));
    armCrash();
    try {
      var answer = bulkRequests.run(request.orgId(), key, "kind " + request.kind() + " on " + request.retryOn(), false, filter,
          selection -> switch (request.kind()) {
            case 0 -> bulk.manualRetries(request.orgId(), selection, request.retryOn(), false, ADMINISTRATOR, "key:" + key);
            case 1 -> bulk.finalNotices(request.orgId(), selection, false, ADMINISTRATOR, "key:" + key);
            default -> bulk.cancellations(request.orgId(), selection, "bulk cancellation", false, ADMINISTRATOR, "key:" + key);
          });
      var resolved = idempotency.find(request.orgId(), key).orElseThrow().contractIds();
      answer.items().stream().filter(item -> !resolved.contains(item.contractId()))
          .forEach(item -> bulkStrayed.add(key + " answered for " + item.contractId() + ", not among " + resolved));
      history.add(at() + " an administrator's bulk request " + key + " " + request + ": " + answer.items());
    } catch (RuntimeException e) {
      history.add(at() + " an administrator's bulk request " + key + " " + request + " failed: " + e.getMessage());
    } finally {
      disarm();
    }
  }

  /**
   * The supporter of a legacy contract re-pays a second or two before the deadline's midnight (by
   * the retry-service's timer), so that billing's charge, its answer and the deadline cross.
   */
  private void repayOnTheDeadlinesEve(String contractId, String orgId, BilledContract billed) {
    if (billed == null || billed.outstandingPeriod() == null) {
      return;
    }
    jobs.pending().stream()
        .filter(job -> job.contractId().equals(contractId) && job.kind() == JobKind.LEGACY_DEADLINE)
        .map(RetryJob::dueAt)
        .findFirst()
        .map(due -> due.minusMillis(random.nextInt(3_000)))
        .filter(eve -> eve.isAfter(clock.instant()))
        .ifPresent(eve -> {
          clock.set(eve);
          repay(contractId, orgId, billed.outstandingPeriod());
        });
  }

  private void repay(String contractId, String orgId, LocalDate period) {
    var newCard = random.nextInt(3) == 0 ? "tok_new_card_" + (++cardNumber) : null;
    history.add(at() + " the supporter re-pays " + contractId + " for " + period + (newCard == null ? "" : " with " + newCard));
    publish(contractId, RepaymentSubmitted.newBuilder().setHeader(header(orgId, contractId)).setPeriod(period).setAmountYen(3_000)
        .setPaymentMethodToken(newCard).build());
  }

  /** The supporter gives a new card on the re-payment form, from one contract, for every contract of theirs. */
  private void updateCard(String contractId, String orgId) {
    var newCard = "tok_new_card_" + (++cardNumber);
    history.add(at() + " the supporter of " + contractId + " gives the new card " + newCard);
    publish(contractId, LocalSealingKeys.sealed(PaymentMethodUpdated.newBuilder().setHeader(header(orgId, contractId))
        .setPaymentMethodToken(newCard).build()));
  }

  private void admin(String contractId, String what, ContractEvent event) {
    try {
      var result = statusContracts.apply(contractId, event);
      history.add(at() + " an administrator " + what + " of " + contractId + ": " + result);
    } catch (RuntimeException e) {
      history.add(at() + " an administrator " + what + " of " + contractId + " failed: " + e.getMessage());
    }
  }

  /**
   * The administrators settle what their organisation owes: all of it where refunds are by hand,
   * those whose automatic refund failed where they are automatic.
   */
  void settleRefundsByHand() {
    var owedByHand = new ArrayList<>(refundsOwed.ofOrganisation(BY_HAND));
    refundsOwed.ofOrganisation(AUTOMATIC).stream().filter(owed -> owed.refundFailedAt() != null).forEach(owedByHand::add);
    for (var owed : owedByHand) {
      if (owed.settledAt() == null) {
        try {
          billingRefunds.settle(owed.orgId(), owed.attemptId(), statusClockForAdmins.instant(), "admin@example.org");
          history.add(at() + " refund of " + owed.attemptId() + " settled by hand");
        } catch (RuntimeException e) {
          history.add(at() + " settling " + owed.attemptId() + " failed: " + e.getMessage());
        }
      }
    }
  }

  private void register(String contractId) {
    var orgId = random.nextBoolean() ? AUTOMATIC : BY_HAND;
    var legacy = random.nextInt(5) < 2;
    var firstCharge = START.plusDays(random.nextInt(5));
    var card = card();
    contracts.put(contractId, orgId);
    history.add(at() + " registered " + contractId + " of " + orgId + (legacy ? " LEGACY" : " CURRENT") + " card " + card
        + " first charged " + firstCharge);
    publish(contractId, LocalSealingKeys.sealed(ContractRegistered.newBuilder()
        .setHeader(header(orgId, contractId))
        .setSupporter(Supporter.newBuilder().setSupporterId("s-" + random.nextInt(2)).setName("支援者").setEmail(contractId + "@example.org")
            .build())
        .setAmountYen(3_000).setInterval(BillingInterval.MONTHLY).setAnchorDay(firstCharge.getDayOfMonth())
        .setFirstChargeOn(firstCharge)
        .setAppliedOn(legacy ? LocalDate.of(2022, 4, 1) : LocalDate.of(2026, 4, 1))
        .setCohort(legacy ? Cohort.LEGACY : Cohort.CURRENT).setPaymentMethodToken(card).build()));
  }

  /** A card, often one that already pays for another contract (one supporter, several contracts). */
  private String card() {
    if (!cards.isEmpty() && random.nextBoolean()) {
      return cards.get(random.nextInt(cards.size()));
    }
    cards.add(behaviour() + ".card-" + cards.size());
    return cards.get(cards.size() - 1);
  }

  private String behaviour() {
    return switch (random.nextInt(6)) {
      case 0 -> "tok_ok";
      case 1 -> "tok_decline_insufficient_funds";
      case 2 -> "tok_decline_do_not_try_again";
      case 3 -> "tok_decline_until_" + START.plusDays(8 + random.nextInt(40));
      case 4 -> "tok_answers_late";
      default -> "tok_decline_until_" + START.plusDays(20 + random.nextInt(30));
    };
  }

  /** A record from outside the services (a form), published once or, now and then, twice. */
  private void publish(String contractId, SpecificRecord record) {
    bus.publish(contractId, record);
    if (faults && random.nextInt(10) == 0) {
      bus.publish(contractId, record);
    }
  }

  private EventHeader header(String orgId, String contractId) {
    return EventHeader.newBuilder().setEventId(eventId()).setOrgId(orgId).setContractId(contractId).setOccurredAt(clock.instant())
        .build();
  }

  private String eventId() {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  // --- settling

  /**
   * Faults stop, the processor's reads catch up, and every service reads, relays and runs its
   * timers until nothing changes; then the administrators settle what they owe by hand and the
   * services settle again. Time stands still meanwhile (an hour after the history), so what is
   * due later stays pending.
   */
  void settle() {
    faults = false;
    processor.faulty = false;
    processor.down = false;
    processor.readLag = Duration.ZERO;
    disarm();
    clock.advance(Duration.ofHours(3));
    quiesce();
    // a charge made while settling, on a card whose processor answers late, is answered a minute on
    clock.advance(SimulatedPaymentProcessor.LATE_ANSWER.plusSeconds(5));
    quiesce();
    settleRefundsByHand();
    quiesce();
  }

  private void quiesce() {
    for (int round = 0, idle = 0; round < 1_000 && idle < 5; round++) {
      var before = bus.published() + "/" + bus.committed();
      bus.heads().forEach(this::deliver);
      relay(billingRelay);
      relay(statusRelay);
      attempts.reconcile();
      refunds.issueDue();
      charges.runIfDue("billing-1");
      dueJobs.runDue("retry-1");
      relay(billingRelay);
      relay(statusRelay);
      if (bus.heads().isEmpty() && before.equals(bus.published() + "/" + bus.committed())) {
        return;
      }
      idle = before.equals(bus.published() + "/" + bus.committed()) ? idle + 1 : 0;
    }
  }

  // --- reading the services

  long seed() {
    return seed;
  }

  /** The contract as the status-service shows it. */
  Contract shown(String contractId) {
    return statusContracts.find(contractId).orElse(null);
  }

  BilledContract billed(String contractId) {
    return ledger.find(contractId).orElse(null);
  }

  String at() {
    return clock.instant().atZone(TOKYO).toLocalDateTime().toString();
  }

  private static String describe(SpecificRecord record) {
    return record.getClass().getSimpleName() + " " + record;
  }

  @Override
  public void close() {
    billingWorkers.shutdownNow();
  }
}
