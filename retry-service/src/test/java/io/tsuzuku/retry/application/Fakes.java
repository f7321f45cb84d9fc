package io.tsuzuku.retry.application;

import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.retry.application.port.JobStore;
import io.tsuzuku.retry.application.port.RetryMessages;
import io.tsuzuku.retry.application.port.ViewStore;
import io.tsuzuku.retry.domain.ContractView;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** In-memory ports with the same semantics as the MongoDB adapters, and a clock tests move. */
public final class Fakes {

  private Fakes() {}

  static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant start) {
      now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /**
   * Jobs in memory. {@code relay} receives the messages of every finished job as it is saved (the
   * relay publishes at once); {@code beforeWrite} runs before each write (a test makes it throw:
   * the process died before the write).
   */
  public static final class Jobs implements JobStore {
    record Entry(RetryJob job, State state, String owner, Instant leaseUntil) {}

    final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Consumer<List<OutboxMessage>> relay;
    public Runnable beforeWrite = () -> {};

    public Jobs(Consumer<List<OutboxMessage>> relay) {
      this.relay = relay;
    }

    @Override
    public synchronized void schedule(RetryJob job) {
      beforeWrite.run();
      entries.putIfAbsent(job.jobId(), new Entry(job, State.PENDING, null, null));
    }

    @Override
    public synchronized int withdrawUpTo(String contractId, LocalDate period) {
      beforeWrite.run();
      int count = 0;
      for (var e : List.copyOf(entries.values())) {
        if (e.job().contractId().equals(contractId) && e.state() == State.PENDING && !e.job().period().isAfter(period)) {
          entries.put(e.job().jobId(), new Entry(e.job(), State.WITHDRAWN, null, null));
          count++;
        }
      }
      return count;
    }

    @Override
    public synchronized int withdraw(String contractId, Set<JobKind> kinds, String keepJobId) {
      beforeWrite.run();
      int count = 0;
      for (var e : List.copyOf(entries.values())) {
        if (e.job().contractId().equals(contractId) && e.state() == State.PENDING && kinds.contains(e.job().kind())
            && !e.job().jobId().equals(keepJobId)) {
          entries.put(e.job().jobId(), new Entry(e.job(), State.WITHDRAWN, null, null));
          count++;
        }
      }
      return count;
    }

    @Override
    public synchronized int withdrawManualRetry(String contractId, Instant dueAt) {
      beforeWrite.run();
      int count = 0;
      for (var e : List.copyOf(entries.values())) {
        if (e.job().contractId().equals(contractId) && e.state() == State.PENDING && e.job().kind() == JobKind.MANUAL_RETRY
            && (dueAt == null || e.job().dueAt().equals(dueAt))) {
          entries.put(e.job().jobId(), new Entry(e.job(), State.WITHDRAWN, null, null));
          count++;
        }
      }
      return count;
    }

    @Override
    public synchronized List<RetryJob> claimDue(Instant dueBy, String owner, Instant now, Instant leaseUntil, int max) {
      beforeWrite.run();
      var due = entries.values().stream()
          .filter(e -> !e.job().dueAt().isAfter(dueBy))
          .filter(e -> e.state() == State.PENDING || (e.state() == State.CLAIMED && e.leaseUntil().isBefore(now)))
          .sorted(Comparator.comparing(e -> e.job().dueAt()))
          .limit(max)
          .toList();
      due.forEach(e -> entries.put(e.job().jobId(), new Entry(e.job(), State.CLAIMED, owner, leaseUntil)));
      return due.stream().map(Entry::job).toList();
    }

    @Override
    public synchronized Set<String> finish(String owner, List<Finished> finished) {
      beforeWrite.run();
      var ours = new java.util.HashSet<String>();
      for (var f : finished) {
        var e = entries.get(f.jobId());
        if (e != null && owner.equals(e.owner()) && e.state() == State.CLAIMED) {
          entries.put(f.jobId(), new Entry(e.job(), f.state(), owner, null));
          relay.accept(f.messages());
          ours.add(f.jobId());
        }
      }
      return ours;
    }

    /** The jobs not run, withdrawn or claimed yet. */
    public synchronized List<RetryJob> pending() {
      return entries.values().stream().filter(e -> e.state() == State.PENDING).map(Entry::job).toList();
    }
  }

  /** Views in memory; {@code relay} and {@code beforeWrite} as {@link Jobs}'. */
  public static final class Views implements ViewStore {
    final Map<String, ContractView> views = new LinkedHashMap<>();
    private final Consumer<List<OutboxMessage>> relay;
    public Runnable beforeWrite = () -> {};

    public Views(Consumer<List<OutboxMessage>> relay) {
      this.relay = relay;
    }

    @Override
    public synchronized Optional<ContractView> find(String contractId) {
      return Optional.ofNullable(views.get(contractId));
    }

    @Override
    public synchronized boolean save(ContractView view, List<OutboxMessage> messages) {
      beforeWrite.run();
      var current = views.get(view.contractId());
      if ((current == null ? 0 : current.revision()) != view.revision()) {
        return false;
      }
      views.put(view.contractId(), new ContractView(view.contractId(), view.orgId(), view.cohort(), view.calendar(),
          view.status(), view.period(), view.failureDay(), view.lastRetryNumber(), view.recentEventIds(), view.revision() + 1));
      relay.accept(messages);
      return true;
    }
  }

  /**
   * The messages as text (the message's type), and every message saved, in the order saved: the
   * stores relay at once what they saved, so this is what a test reads as published.
   */
  static final class Published implements RetryMessages {
    final List<String> events = new ArrayList<>();

    synchronized void relayed(List<OutboxMessage> messages) {
      messages.forEach(m -> events.add(m.type()));
    }

    @Override
    public OutboxMessage retryScheduled(RetryJob job, Instant at) {
      return message(job.contractId(), "RetryScheduled " + job.kind() + " #" + job.number() + " " + job.period() + " at " + job.dueAt());
    }

    @Override
    public OutboxMessage retriesExhausted(String contractId, String orgId, LocalDate period, int retries, LastFailure lastFailure,
        String causeEventId, Instant at) {
      return message(contractId, "RetriesExhausted " + period + " after " + retries + " (" + lastFailure.code() + ")");
    }

    @Override
    public OutboxMessage chargeRequested(RetryJob job, Instant at) {
      return message(job.contractId(), "ChargeRequested " + job.jobId() + " at " + at);
    }

    @Override
    public OutboxMessage repaymentDeadlinePassed(RetryJob job, LocalDate deadline, Instant at) {
      return message(job.contractId(), "RepaymentDeadlinePassed " + job.period() + " deadline " + deadline + " at " + at);
    }

    private static OutboxMessage message(String contractId, String text) {
      return new OutboxMessage(text, contractId, text, new byte[0]);
    }
  }
}
