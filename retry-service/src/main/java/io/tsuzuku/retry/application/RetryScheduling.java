package io.tsuzuku.retry.application;

import io.tsuzuku.kit.ForeignOrganisationException;
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

  public void registered(Inputs.Registered registered) {
    apply(registered.contractId(), registered.orgId(), registered.eventId(),
        () -> new ContractView(registered.contractId(), registered.orgId(), null, null, null, null, null, 0, List.of(), 0),
        view -> planner.registered(view, registered));
  }

  public void statusChanged(Inputs.StatusChanged changed) {
    apply(changed.contractId(), changed.orgId(), changed.eventId(),
        () -> new ContractView(changed.contractId(), changed.orgId(), changed.cohort(), null, null, null, null, 0, List.of(), 0),
        view -> planner.statusChanged(view, changed));
  }

  /** A payment ends the jobs of its period and the earlier ones; the view does not change. */
  public void paymentSucceeded(Inputs.PaymentSucceeded succeeded) {
    views.find(succeeded.contractId()).ifPresent(view -> requireOrganisation(view, succeeded.orgId()));
    jobs.withdrawUpTo(succeeded.contractId(), succeeded.period());
  }

  public void paymentFailed(Inputs.PaymentFailed failed) {
    apply(failed.contractId(), failed.orgId(), failed.eventId(), unknown(failed.contractId()),
        view -> planner.paymentFailed(view, failed));
  }

  public void manualRetryRequested(Inputs.ManualRetryRequested requested) {
    apply(requested.contractId(), requested.orgId(), requested.eventId(), unknown(requested.contractId()),
        view -> planner.manualRetryRequested(view, requested));
  }

  public void manualRetryWithdrawn(Inputs.ManualRetryWithdrawn withdrawn) {
    apply(withdrawn.contractId(), withdrawn.orgId(), withdrawn.eventId(), unknown(withdrawn.contractId()),
        view -> planner.manualRetryWithdrawn(view, withdrawn));
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
   * another writer came first. An event already seen changes nothing.
   *
   * @param absent the view of a contract not seen before (or throws when the event needs one)
   */
  private void apply(String contractId, String orgId, String eventId, Supplier<ContractView> absent,
      Function<ContractView, RetryPlan> plan) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      var current = views.find(contractId);
      if (current.isPresent() && current.get().hasSeen(eventId)) {
        return;
      }
      var view = current.orElseGet(absent);
      requireOrganisation(view, orgId);
      var next = plan.apply(view);
      next.jobs().forEach(change -> write(contractId, change));
      var sent = next.announcements().stream().map(this::message).toList();
      if (views.save(next.view(), sent)) {
        if (!sent.isEmpty()) {
          messagesSaved.run();
        }
        return;
      }
    }
    throw new IllegalStateException("contract " + contractId + " kept changing under event " + eventId);
  }

  private void write(String contractId, JobChange change) {
    if (change instanceof JobChange.Schedule schedule) {
      jobs.schedule(schedule.job());
    } else if (change instanceof JobChange.Withdraw withdraw) {
      jobs.withdraw(contractId, withdraw.kinds(), withdraw.keepJobId());
    } else if (change instanceof JobChange.WithdrawManualRetry withdraw) {
      jobs.withdrawManualRetry(contractId, withdraw.dueAt());
    }
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
