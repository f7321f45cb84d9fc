package io.tsuzuku.billing.application;

import io.tsuzuku.billing.adapter.out.kafka.AvroOutcomeMessages;
import io.tsuzuku.billing.adapter.out.processor.SimulatedPaymentProcessor;
import io.tsuzuku.billing.application.port.PaymentProcessor;
import io.tsuzuku.billing.domain.BilledContract;
import io.tsuzuku.billing.domain.Cohort;
import io.tsuzuku.billing.domain.ContractStatus;
import io.tsuzuku.billing.domain.DeclineOverrides;
import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.events.PaymentFailed;
import io.tsuzuku.events.PaymentSucceeded;
import io.tsuzuku.events.RefundRequired;
import io.tsuzuku.events.RepaymentDeadlineMissed;
import io.tsuzuku.testkit.MovableClock;
import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import io.tsuzuku.kit.outbox.MessagePublisher;
import io.tsuzuku.kit.outbox.OutboxRelay;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.avro.specific.SpecificRecord;

/**
 * Billing's use cases wired as the service wires them, on in-memory stores, the payment simulator
 * and a movable clock; the relay publishes into a list of decoded records. The processor counts
 * what it really charged, by attempt id, which is what the money-safety tests judge.
 */
final class BillingFixture implements AutoCloseable {

  static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  static final BillingCalendar MONTHLY_1ST = new BillingCalendar(BillingCalendar.Interval.MONTHLY, 1, 1);
  static final LocalDate PERIOD = LocalDate.of(2027, 3, 1);

  final MovableClock clock = new MovableClock(PERIOD.atTime(8, 0).atZone(TOKYO).toInstant());
  final InMemoryBilling store = new InMemoryBilling();
  final SimulatedPaymentProcessor simulator = new SimulatedPaymentProcessor(clock, TOKYO, Duration.ZERO);
  /** Attempt ids the processor charged successfully (each once: the simulator is idempotent by key). */
  final Map<String, Boolean> charged = new ConcurrentHashMap<>();
  final List<SpecificRecord> published = new CopyOnWriteArrayList<>();
  volatile boolean processorTimesOut;
  volatile boolean processorUnreachable;
  /** Runs as the processor takes each charge (a test makes it slow, or acts meanwhile). */
  volatile Runnable duringCharge = () -> {};
  /** How the processor answers refunds: as the simulator does (null), or this. */
  volatile PaymentProcessor.Result refundAnswer;
  final PaymentProcessor processor = new PaymentProcessor() {
    @Override
    public Result charge(Charge charge) {
      duringCharge.run();
      var result = simulator.charge(charge);
      if (result instanceof Result.Succeeded) {
        charged.put(charge.idempotencyKey(), true);
      }
      return processorTimesOut ? new Result.Unknown("no answer in time") : result;
    }

    @Override
    public Result refund(Refund refund) {
      return refundAnswer != null ? refundAnswer : simulator.refund(refund);
    }

    @Override
    public Result refundOutcome(Refund refund, String refundReference) {
      return refundAnswer != null ? refundAnswer : simulator.refundOutcome(refund, refundReference);
    }

    @Override
    public Result lookup(Charge charge) {
      return processorUnreachable ? new Result.Unknown("the processor is unreachable") : simulator.lookup(charge);
    }
  };
  final OutboxRelay<InMemoryBilling.Stored> relay =
      OutboxRelay.sole(store, MessagePublisher.oneByOne(message -> published.add(KafkaMessagePublisher.decode(message))));
  final LedgerUpdates ledger = new LedgerUpdates(store, new AvroOutcomeMessages(), () -> {});
  final ChargeAttempts attempts =
      new ChargeAttempts(ledger, store, processor, clock, TOKYO, Duration.ofMinutes(10), Duration.ofHours(1), attempt -> {},
          DeclineOverrides.NONE, store);
  final ContractBook book = new ContractBook(ledger);
  final Refunds refunds = new Refunds(ledger, store, processor, clock, java.util.Set.of("org-1"));
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  final Charges charges = new Charges(attempts, ledger, store, store, clock, clock, TOKYO, LocalTime.of(9, 0), Duration.ofMinutes(5), workers);

  void at(LocalDate day, LocalTime time) {
    clock.set(day.atTime(time).atZone(TOKYO).toInstant());
  }

  void at(LocalDateTime tokyoTime) {
    clock.set(tokyoTime.atZone(TOKYO).toInstant());
  }

  void register(String contractId, Cohort cohort, String token, LocalDate firstCharge) {
    book.registered(BilledContract.registration(contractId, "org-1", cohort, MONTHLY_1ST, 3000, token, firstCharge));
  }

  /** A contract whose scheduled charge of {@link #PERIOD} failed: RETRYING, the period outstanding. */
  void failedScheduledCharge(String contractId, Cohort cohort) {
    scheduledCharge(contractId, cohort, "tok_decline_until_2027-03-10");
    status(contractId, ContractStatus.RETRYING, 2);
  }

  /** A contract with the card {@code token}, charged on the billing run of {@link #PERIOD}. */
  void scheduledCharge(String contractId, Cohort cohort, String token) {
    register(contractId, cohort, token, PERIOD);
    at(PERIOD, LocalTime.of(9, 0));
    charges.runIfDue("instance-a");
  }

  void status(String contractId, ContractStatus status, long version) {
    book.statusChanged(contractId, "org-1", status, version, clock.instant());
  }

  BilledContract contract(String contractId) {
    return store.find(contractId).orElseThrow();
  }

  /** Successful charges at the processor for the contract's period. */
  long chargedFor(String contractId, LocalDate period) {
    return charged.keySet().stream().filter(key -> key.startsWith(contractId + ":" + period + ":")).count();
  }

  List<String> outcomes(String contractId) {
    relay.relayPending();
    return published.stream()
        .filter(r -> contractIdOf(r).equals(contractId))
        .map(r -> r instanceof PaymentFailed f ? "failed " + f.getFailureCode()
            : r instanceof PaymentSucceeded s ? "paid " + s.getKind()
            : r instanceof RefundRequired required ? "refund " + required.getReason()
            : r instanceof RepaymentDeadlineMissed ? "deadline missed"
            : r instanceof io.tsuzuku.events.RefundFailed failed ? "refund failed " + failed.getFailure()
            : "refunded " + ((io.tsuzuku.events.RefundIssued) r).getRefundReference().startsWith("sim_re_"))
        .toList();
  }

  private static String contractIdOf(SpecificRecord r) {
    return ((io.tsuzuku.events.EventHeader) r.get(r.getSchema().getField("header").pos())).getContractId();
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
