package io.tsuzuku.retry.application;

import io.tsuzuku.kit.BatchFailedAt;
import io.tsuzuku.kit.ForeignOrganisationException;
import io.tsuzuku.kit.Traces;
import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.retry.application.port.JobStore;
import io.tsuzuku.retry.application.port.RetryMessages;
import io.tsuzuku.retry.application.port.RetryMessages.LastFailure;
import io.tsuzuku.retry.application.port.ViewStore;
import io.tsuzuku.retry.domain.ContractView;
import io.tsuzuku.retry.domain.Inputs;
import io.tsuzuku.retry.domain.RetryPlan;
import io.tsuzuku.retry.domain.RetryPlan.Announcement;
import io.tsuzuku.retry.domain.RetryPlan.JobChange;
import io.tsuzuku.retry.domain.RetryPlanner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Carries out what the {@link RetryPlanner} decides for each event: the jobs it schedules or
 * withdraws, then the contract's view with the messages it announces, in one write (the service
 * kit's outbox relays them).
 *
 * <p>Why jobs are written first, apart from the view: a job's id is the identity of the attempt it
 * makes (contract, period, kind, number), so scheduling it again is scheduling it once, and a
 * withdrawal only ends pending jobs; each job write is idempotent by construction. The view, which
 * remembers the event, is written last: a crash in between leaves the event unseen, it is delivered
 * again, and the same plan writes the same jobs. When another writer changed the view meanwhile,
 * the event is planned again on the fresh view; a job a stale plan scheduled is one the fresh plan
 * schedules too, or one billing refuses when it runs (its period no longer outstanding, the
 * contract cancelled), never a charge too many.
 */
public final class RetryScheduling {

  /** How often an event is applied again on a fresh view when other writers keep coming first. */
  private static final int MAX_ATTEMPTS = 20;

  private final ViewStore views;
  private final JobStore jobs;
  private final RetryMessages messages;
  private final RetryPlanner planner;
  private final Runnable messagesSaved;

  /** @param messagesSaved told after a change saved messages (the relay publishes them at once) */
  public RetryScheduling(ViewStore views, JobStore jobs, RetryMessages messages, RetryPlanner planner, Runnable messagesSaved) {
    this.views = views;
    this.jobs = jobs;
    this.messages = messages;
    this.planner = planner;
    this.messagesSaved = messagesSaved;
  }

  public RetryScheduling(ViewStore views, JobStore jobs, RetryMessages messages, RetryPlanner planner) {
    this(views, jobs, messages, planner, () -> {});
  }

  /**
   * An event as a record brought it: the contract it concerns and how it is planned on the
   * contract's view.
   *
   * @param traceParent the record's trace, which the jobs and messages it causes carry on (may be null)
   * @param absent the view of a contract not seen before (or throws when the event needs one)
   */
  public record Event(String contractId, String orgId, String eventId, String traceParent, Supplier<ContractView> absent,
      Function<ContractView, RetryPlan> plan) {}

  public void registered(Inputs.Registered registered) {
    apply(event(registered, null));
  }

  public void statusChanged(Inputs.StatusChanged changed) {
    apply(event(changed, null));
  }

  /** A payment ends the jobs of its period and the earlier ones; the view does not change. */
  public void paymentSucceeded(Inputs.PaymentSucceeded succeeded) {
    apply(event(succeeded, null));
  }

  public void paymentFailed(Inputs.PaymentFailed failed) {
    apply(event(failed, null));
  }

  public void manualRetryRequested(Inputs.ManualRetryRequested requested) {
    apply(event(requested, null));
  }

  public void manualRetryWithdrawn(Inputs.ManualRetryWithdrawn withdrawn) {
    apply(event(withdrawn, null));
  }

  public Event event(Inputs.Registered registered, String traceParent) {
    return new Event(registered.contractId(), registered.orgId(), registered.eventId(), traceParent,
        () -> new ContractView(registered.contractId(), registered.orgId(), null, null, null, null, null, 0, List.of(), 0),
        view -> planner.registered(view, registered));
  }

  public Event event(Inputs.StatusChanged changed, String traceParent) {
    return new Event(changed.contractId(), changed.orgId(), changed.eventId(), traceParent,
        () -> new ContractView(changed.contractId(), changed.orgId(), changed.cohort(), null, null, null, null, 0, List.of(), 0),
        view -> planner.statusChanged(view, changed));
  }

  /**
   * A payment withdraws jobs and writes no view: on a contract not seen yet it withdraws what there
   * is; on one that never had a job (most payments) it writes nothing.
   */
  public Event event(Inputs.PaymentSucceeded succeeded, String traceParent) {
    return new Event(succeeded.contractId(), succeeded.orgId(), succeeded.eventId(), traceParent,
        () -> new ContractView(succeeded.contractId(), null, null, null, null, null, null, 0, List.of(), 0),
        view -> view.mayHaveJobs() ? new RetryPlan(view, List.of(new JobChange.WithdrawUpTo(succeeded.period())), List.of())
            : RetryPlan.of(view));
  }

  public Event event(Inputs.PaymentFailed failed, String traceParent) {
    return new Event(failed.contractId(), failed.orgId(), failed.eventId(), traceParent, unknown(failed.contractId()),
        view -> planner.paymentFailed(view, failed));
  }

  public Event event(Inputs.ManualRetryRequested requested, String traceParent) {
    return new Event(requested.contractId(), requested.orgId(), requested.eventId(), traceParent,
        unknown(requested.contractId()), view -> planner.manualRetryRequested(view, requested));
  }

  public Event event(Inputs.ManualRetryWithdrawn withdrawn, String traceParent) {
    return new Event(withdrawn.contractId(), withdrawn.orgId(), withdrawn.eventId(), traceParent,
        unknown(withdrawn.contractId()), view -> planner.manualRetryWithdrawn(view, withdrawn));
  }

  private static Supplier<ContractView> unknown(String contractId) {
    return () -> { throw new UnknownContractException(contractId); };
  }

  /** An event naming another organisation than the contract's is never applied (docs/ledger.md, invariant 6). */
  private static void requireOrganisation(ContractView view, String orgId) {
    if (view.orgId() != null && !view.orgId().equals(orgId)) {
      throw new ForeignOrganisationException(view.contractId(), view.orgId(), orgId);
    }
  }

  /**
   * Plans the event on the contract's view, writes the plan's jobs, then saves the view with the
   * plan's messages in one write guarded by the view's revision; plans again on a fresh view when
   * another writer came first. An event already seen changes nothing; a plan that leaves the view
   * as it was and announces nothing writes no view.
   */
  public void apply(Event event) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      var current = views.find(event.contractId());
      var planned = plan(event, current.orElse(null));
      if (planned == null) {
        return;
      }
      jobs.writeAll(planned.jobs());
      if (planned.saving() == null || views.save(planned.saving().view(), planned.saving().messages())) {
        if (planned.saving() != null && !planned.saving().messages().isEmpty()) {
          messagesSaved.run();
        }
        return;
      }
    }
    throw new IllegalStateException("contract " + event.contractId() + " kept changing under event " + event.eventId());
  }

  /**
   * Applies a poll's events in their order, as {@link #apply} applies one: the views are read
   * together, each event planned on its contract's view as the events before it left it, the jobs
   * of every plan written together, then the changed views together. A contract whose view is not
   * known to be saved (another writer came first) has its events applied again one by one: the
   * fresh view tells which it has seen. The batch stops at the first event that cannot be planned
   * (a contract not seen yet, another organisation's).
   *
   * @throws BatchFailedAt naming that event, once every event before it is applied
   */
  public void applyAll(List<Event> events) {
    var state = new HashMap<>(views.findAll(events.stream().map(Event::contractId).distinct().toList()));
    var jobChanges = new ArrayList<JobStore.Change>();
    var changed = new LinkedHashMap<String, ViewStore.Saving>();
    int failedAt = events.size();
    RuntimeException failure = null;
    for (int i = 0; i < events.size(); i++) {
      var event = events.get(i);
      try {
        var planned = plan(event, state.get(event.contractId()));
        if (planned == null) {
          continue;
        }
        jobChanges.addAll(planned.jobs());
        if (planned.saving() != null) {
          var before = changed.get(event.contractId());
          var messages = new ArrayList<>(before == null ? List.<OutboxMessage>of() : before.messages());
          messages.addAll(planned.saving().messages());
          // the revision stays the one read: the batch writes the view once
          changed.put(event.contractId(), new ViewStore.Saving(planned.saving().view(), messages));
          state.put(event.contractId(), planned.saving().view());
        }
      } catch (RuntimeException e) {
        failedAt = i;
        failure = e;
        break;
      }
    }
    jobs.writeAll(jobChanges);
    var unsaved = views.saveAll(List.copyOf(changed.values()));
    if (changed.values().stream().anyMatch(saving -> !saving.messages().isEmpty())) {
      messagesSaved.run();
    }
    BatchFailedAt.settle(events, failedAt, failure, event -> unsaved.contains(event.contractId()), this::apply);
  }

  /** What planning an event on a view writes: its jobs, and the view with its messages (null: none). */
  private record Planned(List<JobStore.Change> jobs, ViewStore.Saving saving) {}

  /** @param current the contract's view (null: not seen yet); returns null for an event already seen */
  private Planned plan(Event event, ContractView current) {
    if (current != null && current.hasSeen(event.eventId())) {
      return null;
    }
    var view = current != null ? current : event.absent().get();
    requireOrganisation(view, event.orgId());
    var next = event.plan().apply(view);
    var jobChanges = next.jobs().stream().map(change -> new JobStore.Change(event.contractId(),
        change instanceof JobChange.Schedule schedule ? new JobChange.Schedule(schedule.job().inTrace(event.traceParent())) : change))
        .toList();
    if (next.view().equals(view) && next.announcements().isEmpty()) {
      return new Planned(jobChanges, null);
    }
    var sent = Traces.within(event.traceParent(), () -> next.announcements().stream().map(this::message).toList());
    return new Planned(jobChanges, new ViewStore.Saving(next.view(), sent));
  }

  private OutboxMessage message(Announcement announcement) {
    if (announcement instanceof Announcement.RetryScheduled scheduled) {
      return messages.retryScheduled(scheduled.job(), scheduled.runAt());
    }
    var exhausted = (Announcement.RetriesExhausted) announcement;
    var failure = exhausted.failure();
    return messages.retriesExhausted(exhausted.contractId(), exhausted.orgId(), exhausted.period(), exhausted.retries(),
        new LastFailure(failure.failureCode(), failure.failureClass().name(), failure.at()), failure.eventId(), failure.at());
  }
}
