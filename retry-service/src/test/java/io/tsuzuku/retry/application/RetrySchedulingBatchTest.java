package io.tsuzuku.retry.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.calendar.BillingCalendar.Interval;
import io.tsuzuku.kit.BatchFailedAt;
import io.tsuzuku.kit.UnknownContractException;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.retry.application.port.ViewStore;
import io.tsuzuku.retry.domain.ContractStatus;
import io.tsuzuku.retry.domain.ContractView;
import io.tsuzuku.retry.domain.ContractView.Cohort;
import io.tsuzuku.retry.domain.FailureClass;
import io.tsuzuku.retry.domain.Inputs;
import io.tsuzuku.retry.domain.Inputs.ChargeKind;
import io.tsuzuku.retry.domain.RetryJob;
import io.tsuzuku.retry.domain.RetryPlanner;
import io.tsuzuku.retry.domain.RetryPolicies;
import io.tsuzuku.retry.domain.RetryPolicy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A poll's events planned together: one read of the views, one write of the jobs and one of the views, as one by one would. */
class RetrySchedulingBatchTest {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final LocalDate FEB_1 = LocalDate.of(2027, 2, 1);
  private static final Instant FAILED_AT = Instant.parse("2027-02-01T00:30:00Z");
  private static final BillingCalendar MONTHLY = new BillingCalendar(Interval.MONTHLY, 1, 1);

  private final Fakes.Published published = new Fakes.Published();
  private final Fakes.Jobs jobs = new Fakes.Jobs(published::relayed);
  private final Fakes.Views stored = new Fakes.Views(published::relayed);
  private final CountingViews views = new CountingViews(stored);
  private final RetryScheduling scheduling = scheduling(views, jobs, published);

  @Test
  void aPollOfEventsIsPlannedOnOneReadAndWrittenOnceAsOneByOneWould() {
    var poll = List.of(
        scheduling.event(new Inputs.Registered("e-1", "c-1", "org-1", Cohort.CURRENT, MONTHLY), null),
        scheduling.event(new Inputs.Registered("e-2", "c-2", "org-1", Cohort.CURRENT, MONTHLY), null),
        scheduling.event(new Inputs.StatusChanged("e-3", "c-1", "org-1", Cohort.CURRENT, ContractStatus.ACTIVE), null),
        scheduling.event(failure("e-4", "c-1"), null),
        scheduling.event(failure("e-5", "c-2"), null),
        scheduling.event(new Inputs.PaymentSucceeded("e-6", "c-2", "org-1", FEB_1), null),
        scheduling.event(failure("e-4", "c-1"), null)); // delivered again

    scheduling.applyAll(poll);

    assertThat(views.reads).isEqualTo(1);
    assertThat(views.writes).isEqualTo(1);
    var alone = new Fakes.Published();
    var aloneJobs = new Fakes.Jobs(alone::relayed);
    var aloneViews = new Fakes.Views(alone::relayed);
    var oneByOne = scheduling(aloneViews, aloneJobs, alone);
    poll.forEach(oneByOne::apply);
    assertThat(jobs.pending()).containsExactlyInAnyOrderElementsOf(aloneJobs.pending());
    assertThat(jobs.pending()).extracting(RetryJob::jobId).containsExactly("c-1:2027-02-01:AUTO_RETRY:1");
    assertThat(published.events).containsExactlyInAnyOrderElementsOf(alone.events).hasSize(2);
    for (var id : List.of("c-1", "c-2")) {
      assertThat(stored.find(id)).get().usingRecursiveComparison().ignoringFields("revision").isEqualTo(aloneViews.find(id).orElseThrow());
    }
  }

  @Test
  void anEventForAContractNotSeenYetStopsThePollOnceTheOnesBeforeItAreApplied() {
    var failure = catchThrowableOfType(BatchFailedAt.class, () -> scheduling.applyAll(List.of(
        scheduling.event(new Inputs.Registered("e-1", "c-1", "org-1", Cohort.CURRENT, MONTHLY), null),
        scheduling.event(failure("e-2", "c-unknown"), null),
        scheduling.event(new Inputs.Registered("e-3", "c-3", "org-1", Cohort.CURRENT, MONTHLY), null))));

    assertThat(failure.index()).isEqualTo(1);
    assertThat(failure.getCause()).isInstanceOf(UnknownContractException.class);
    assertThat(stored.find("c-1")).isPresent();
    assertThat(stored.find("c-3")).as("after the record that failed: it comes again").isEmpty();
  }

  @Test
  void aViewAnotherWriterChangedBetweenTheReadAndTheWriteHasItsEventsPlannedAgainOnIt() {
    scheduling.registered(new Inputs.Registered("e-1", "c-1", "org-1", Cohort.CURRENT, MONTHLY));
    scheduling.registered(new Inputs.Registered("e-2", "c-2", "org-1", Cohort.CURRENT, MONTHLY));
    stored.beforeWrite = () -> {
      stored.beforeWrite = () -> {};
      scheduling.statusChanged(new Inputs.StatusChanged("e-3", "c-1", "org-1", Cohort.CURRENT, ContractStatus.RETRYING));
    };

    scheduling.applyAll(List.of(scheduling.event(failure("e-4", "c-1"), null), scheduling.event(failure("e-5", "c-2"), null)));

    assertThat(stored.find("c-1").orElseThrow().recentEventIds()).contains("e-3", "e-4");
    assertThat(stored.find("c-2").orElseThrow().recentEventIds()).contains("e-5");
    assertThat(jobs.pending()).extracting(RetryJob::jobId)
        .containsExactlyInAnyOrder("c-1:2027-02-01:AUTO_RETRY:1", "c-2:2027-02-01:AUTO_RETRY:1");
  }

  private static Inputs.PaymentFailed failure(String eventId, String contractId) {
    return new Inputs.PaymentFailed(eventId, contractId, "org-1", ChargeKind.SCHEDULED, 0, FEB_1, FailureClass.SOFT_DECLINE,
        "card_declined", FAILED_AT);
  }

  private static RetryScheduling scheduling(ViewStore views, Fakes.Jobs jobs, Fakes.Published published) {
    return new RetryScheduling(views, jobs, published,
        new RetryPlanner(new RetryPolicies(RetryPolicy.DEFAULT, Map.of()), TOKYO));
  }

  /** The views, their reads and writes counted. */
  private static final class CountingViews implements ViewStore {
    private final Fakes.Views views;
    int reads;
    int writes;

    CountingViews(Fakes.Views views) {
      this.views = views;
    }

    @Override
    public Optional<ContractView> find(String contractId) {
      reads++;
      return views.find(contractId);
    }

    @Override
    public Map<String, ContractView> findAll(Collection<String> contractIds) {
      reads++;
      return views.findAll(contractIds);
    }

    @Override
    public boolean save(ContractView view, List<OutboxMessage> messages) {
      writes++;
      return views.save(view, messages);
    }

    @Override
    public Set<String> saveAll(List<Saving> changed) {
      writes++;
      return views.saveAll(changed);
    }
  }
}
