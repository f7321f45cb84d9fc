package io.tsuzuku.retry.application;

import io.tsuzuku.retry.application.port.ViewStore;
import io.tsuzuku.retry.domain.ContractStatus;
import io.tsuzuku.retry.domain.ContractView;
import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.calendar.BillingCalendar.Interval;
import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.schemas.DeclineRules;
import io.tsuzuku.retry.domain.Inputs;
import io.tsuzuku.retry.domain.Inputs.ChargeKind;
import io.tsuzuku.retry.domain.RetryPlanner;
import io.tsuzuku.retry.domain.ContractView.Cohort;
import io.tsuzuku.retry.domain.FailureClass;
import io.tsuzuku.retry.domain.RetryPolicies;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import io.tsuzuku.retry.domain.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The retry schedule, driven by moving a clock: no sleeps, no wall time. */
class RetrySchedulingTest {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final LocalDate FEB_1 = LocalDate.of(2027, 2, 1);

  private final Fakes.MovableClock clock = new Fakes.MovableClock(tokyo("2027-02-01T09:30"));
  private final Fakes.Published published = new Fakes.Published();
  private final Fakes.Jobs jobs = new Fakes.Jobs(published::relayed);
  private final Fakes.Views views = new Fakes.Views(published::relayed);
  private final RetryPolicies policies = new RetryPolicies(RetryPolicy.DEFAULT, Map.of());
  private final RetryScheduling scheduling = new RetryScheduling(views, jobs, published, new RetryPlanner(policies, TOKYO));
  private final DueJobs due = new DueJobs(jobs, views, published, clock, clock, Duration.ofMinutes(1), TOKYO);
  private Consumer<Runnable> deliver = Runnable::run;

  @Test
  void aRetryDueBeforeTheRetryingSnapshotArrivedIsStillDispatched() {
    scheduling.registered(new Inputs.Registered(id(), "c-1", "org-1", Cohort.CURRENT, new BillingCalendar(Interval.MONTHLY, 1, 1)));
    status("c-1", ContractStatus.ACTIVE);
    fail("c-1", ChargeKind.SCHEDULED, 0, FailureClass.SOFT_DECLINE);
    // the RETRYING snapshot is still on its way (another topic) when the retry falls due

    clock.set(tokyo("2027-02-08T10:00"));

    assertThat(due.runDue("a")).isEqualTo(1);
    assertThat(published.events).contains("ChargeRequested c-1:2027-02-01:AUTO_RETRY:1 at " + tokyo("2027-02-08T10:00"));
  }

  @Test
  void aRetryRefusedBecauseThePeriodIsPaidEndsTheScheduleAndOneRefusedForAPassingReasonGoesOn() {
    currentContractWhoseScheduledChargeFailed("c-paid");
    currentContractWhoseScheduledChargeFailed("c-busy");
    clock.set(tokyo("2027-02-08T10:00"));
    due.runDue("a");

    refuse("c-paid", 1, "period_already_paid");
    refuse("c-busy", 1, "charge_in_progress");

    assertThat(jobs.pending()).extracting(job -> job.jobId()).containsExactly("c-busy:2027-02-01:AUTO_RETRY:2");
  }

  @Test
  void aFailureNamingAnotherOrganisationIsUnprocessableAndSchedulesNothing() {
    scheduling.registered(new Inputs.Registered(id(), "c-1", "org-1", Cohort.CURRENT, new BillingCalendar(Interval.MONTHLY, 1, 1)));
    var foreign = new Inputs.PaymentFailed(id(), "c-1", "org-other", ChargeKind.SCHEDULED, 0, FEB_1, FailureClass.SOFT_DECLINE,
        "card_declined", clock.instant());

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> scheduling.paymentFailed(foreign))
        .isInstanceOf(io.tsuzuku.schemas.UnprocessableRecordException.class);

    assertThat(jobs.pending()).isEmpty();
  }

  @Test
  void anOldPaymentDeliveredAgainNeverWithdrawsTheRetriesOfALaterFailure() {
    currentContractWhoseScheduledChargeFailed("c-1");
    var febPaid = new Inputs.PaymentSucceeded(id(), "c-1", "org-1", FEB_1);
    scheduling.paymentSucceeded(febPaid);
    clock.set(tokyo("2027-03-01T09:30"));
    fail("c-1", ChargeKind.SCHEDULED, 0, FailureClass.SOFT_DECLINE, LocalDate.of(2027, 3, 1));

    scheduling.paymentSucceeded(febPaid); // delivered again, late

    assertThat(jobs.pending()).extracting(job -> job.jobId()).containsExactly("c-1:2027-03-01:AUTO_RETRY:1");
  }

  @Test
  void aRefusedScheduledChargeStartsNoRetries() {
    scheduling.registered(new Inputs.Registered(id(), "c-1", "org-1", Cohort.CURRENT, new BillingCalendar(Interval.MONTHLY, 1, 1)));
    var event = new Inputs.PaymentFailed(id(), "c-1", "org-1", ChargeKind.SCHEDULED, 0, FEB_1, FailureClass.REFUSED,
        "processor_not_configured", clock.instant());

    scheduling.paymentFailed(event);

    assertThat(jobs.pending()).isEmpty();
  }

  @Test
  void threeWeeklyRetriesFailAndTheRetriesAreExhausted() {
    currentContractWhoseScheduledChargeFailed("c-1");

    for (int retry = 1; retry <= 3; retry++) {
      clock.set(tokyo("2027-02-" + String.format("%02d", 1 + 7 * retry) + "T09:59"));
      assertThat(due.runDue("a")).as("not due before 10:00").isZero();
      clock.advance(Duration.ofMinutes(1));
      assertThat(due.runDue("a")).isEqualTo(1);
      fail("c-1", ChargeKind.AUTO_RETRY, retry, FailureClass.SOFT_DECLINE);
    }

    assertThat(published.events)
        .containsExactly(
            "RetryScheduled AUTO_RETRY #1 2027-02-01 at " + tokyo("2027-02-08T10:00"),
            "ChargeRequested c-1:2027-02-01:AUTO_RETRY:1 at " + tokyo("2027-02-08T10:00"),
            "RetryScheduled AUTO_RETRY #2 2027-02-01 at " + tokyo("2027-02-15T10:00"),
            "ChargeRequested c-1:2027-02-01:AUTO_RETRY:2 at " + tokyo("2027-02-15T10:00"),
            "RetryScheduled AUTO_RETRY #3 2027-02-01 at " + tokyo("2027-02-22T10:00"),
            "ChargeRequested c-1:2027-02-01:AUTO_RETRY:3 at " + tokyo("2027-02-22T10:00"),
            "RetriesExhausted 2027-02-01 after 3 (card_declined)");
    assertThat(jobs.pending()).isEmpty();
  }

  @Test
  void aRecoveryAfterTheSecondRetrySchedulesNothingFurther() {
    currentContractWhoseScheduledChargeFailed("c-1");
    clock.set(tokyo("2027-02-08T10:00"));
    due.runDue("a");
    fail("c-1", ChargeKind.AUTO_RETRY, 1, FailureClass.SOFT_DECLINE);
    clock.set(tokyo("2027-02-15T10:00"));
    due.runDue("a");

    scheduling.paymentSucceeded(new Inputs.PaymentSucceeded(id(), "c-1", "org-1", FEB_1));
    clock.set(tokyo("2027-03-31T10:00"));

    assertThat(due.runDue("a")).isZero();
    assertThat(jobs.pending()).isEmpty();
    assertThat(published.events).last().asString().startsWith("ChargeRequested c-1:2027-02-01:AUTO_RETRY:2");
  }

  @Test
  void aManualRetryCanBeMovedAndThenWithdrawn() {
    contractInError("c-1");
    var first = tokyo("2027-03-10T10:00");
    var moved = tokyo("2027-03-12T10:00");

    scheduling.manualRetryRequested(new Inputs.ManualRetryRequested(id(), "c-1", "org-1", FEB_1, first));
    scheduling.manualRetryRequested(new Inputs.ManualRetryRequested(id(), "c-1", "org-1", FEB_1, moved));

    assertThat(jobs.pending()).singleElement().satisfies(job -> {
      assertThat(job.number()).isEqualTo(5);
      assertThat(job.dueAt()).isEqualTo(moved);
    });
    scheduling.manualRetryWithdrawn(new Inputs.ManualRetryWithdrawn(id(), "c-1", "org-1", moved));
    clock.set(tokyo("2027-03-31T10:00"));
    assertThat(due.runDue("a")).isZero();
    assertThat(published.events).containsExactly(
        "RetryScheduled MANUAL_RETRY #4 2027-02-01 at " + first,
        "RetryScheduled MANUAL_RETRY #5 2027-02-01 at " + moved);
  }

  /**
   * The status-service's relay publishes a withdrawal again after the administrator ordered a new
   * manual retry (a crash between its send and its record): the withdrawal names the retry it
   * withdrew and was seen already, so the new retry stays pending.
   */
  @Test
  void aWithdrawalDeliveredAgainLaterNeverWithdrawsTheManualRetryOrderedAfterIt() {
    contractInError("c-1");
    var first = tokyo("2027-03-10T10:00");
    var second = tokyo("2027-03-20T10:00");
    scheduling.manualRetryRequested(new Inputs.ManualRetryRequested(id(), "c-1", "org-1", FEB_1, first));
    var withdrawal = new Inputs.ManualRetryWithdrawn(id(), "c-1", "org-1", first);
    scheduling.manualRetryWithdrawn(withdrawal);
    scheduling.manualRetryRequested(new Inputs.ManualRetryRequested(id(), "c-1", "org-1", FEB_1, second));

    scheduling.manualRetryWithdrawn(withdrawal);
    scheduling.manualRetryWithdrawn(new Inputs.ManualRetryWithdrawn(id(), "c-1", "org-1", first)); // another copy, another id

    assertThat(jobs.pending()).singleElement().satisfies(job -> assertThat(job.dueAt()).isEqualTo(second));
  }

  @Test
  void aWithdrawalNamingAnotherOrganisationIsUnprocessableAndWithdrawsNothing() {
    contractInError("c-1");
    var runAt = tokyo("2027-03-10T10:00");
    scheduling.manualRetryRequested(new Inputs.ManualRetryRequested(id(), "c-1", "org-1", FEB_1, runAt));

    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            scheduling.manualRetryWithdrawn(new Inputs.ManualRetryWithdrawn(id(), "c-1", "org-other", runAt)))
        .isInstanceOf(io.tsuzuku.schemas.UnprocessableRecordException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            scheduling.paymentSucceeded(new Inputs.PaymentSucceeded(id(), "c-1", "org-other", FEB_1)))
        .isInstanceOf(io.tsuzuku.schemas.UnprocessableRecordException.class);

    assertThat(jobs.pending()).hasSize(1);
  }

  @Test
  void aManualRetryChargesOnlyAContractStillInError() {
    contractInError("c-1");
    contractInError("c-2");
    var runAt = tokyo("2027-03-10T10:00");
    scheduling.manualRetryRequested(new Inputs.ManualRetryRequested(id(), "c-1", "org-1", FEB_1, runAt));
    scheduling.manualRetryRequested(new Inputs.ManualRetryRequested(id(), "c-2", "org-1", FEB_1, runAt));
    status("c-2", ContractStatus.ACTIVE); // the supporter re-paid meanwhile: its payment is on the way

    clock.set(runAt);
    assertThat(due.runDue("a")).isEqualTo(1);
    assertThat(jobs.pending()).extracting(RetryJob::contractId).as("waits: ACTIVE may be a view behind").containsExactly("c-2");
    scheduling.paymentSucceeded(new Inputs.PaymentSucceeded(id(), "c-2", "org-1", FEB_1));

    assertThat(due.runDue("a")).isZero();
    assertThat(jobs.pending()).isEmpty();
    assertThat(published.events).filteredOn(e -> e.startsWith("ChargeRequested"))
        .containsExactly("ChargeRequested c-1:2027-02-01:MANUAL_RETRY:4 at " + runAt);
  }

  /**
   * An administrator orders a manual retry for today the moment the contract is in ERROR; the
   * retry-service's view still shows RETRYING (the snapshot travels on another topic). The retry
   * waits for the status it needs instead of being skipped for good.
   */
  @Test
  void aManualRetryDueBeforeTheErrorSnapshotArrivedRunsOnceItArrives() {
    currentContractWhoseScheduledChargeFailed("c-1");
    var runAt = tokyo("2027-02-22T10:05");
    clock.set(runAt);
    scheduling.manualRetryRequested(new Inputs.ManualRetryRequested(id(), "c-1", "org-1", FEB_1, runAt));

    due.runDue("a");
    assertThat(published.events).noneMatch(e -> e.contains("MANUAL_RETRY") && e.startsWith("ChargeRequested"));
    assertThat(jobs.pending()).extracting(RetryJob::kind).containsExactly(JobKind.MANUAL_RETRY);
    status("c-1", ContractStatus.ERROR);
    clock.set(runAt.plusSeconds(2));

    assertThat(due.runDue("a")).isEqualTo(1);
    assertThat(published.events).filteredOn(e -> e.contains("MANUAL_RETRY") && e.startsWith("ChargeRequested")).singleElement().asString()
        .startsWith("ChargeRequested c-1:2027-02-01:MANUAL_RETRY:");
  }


  @Test
  void aCancellationWithdrawsEveryPendingJob() {
    currentContractWhoseScheduledChargeFailed("c-1");
    contractInError("c-2");
    scheduling.manualRetryRequested(new Inputs.ManualRetryRequested(id(), "c-2", "org-1", FEB_1, tokyo("2027-03-10T10:00")));

    status("c-1", ContractStatus.CANCELLED);
    status("c-2", ContractStatus.CANCELLED);

    assertThat(jobs.pending()).isEmpty();
    clock.set(tokyo("2027-12-31T10:00"));
    assertThat(due.runDue("a")).isZero();
  }

  @ParameterizedTest(name = "{0} anchor {1}, period {2}: cancelled on {3}")
  @CsvSource({
    "MONTHLY, 31, 2027-01-31, 2027-02-28",
    "MONTHLY, 31, 2028-01-31, 2028-02-29",
    "YEARLY, 29, 2028-02-29, 2029-02-28"
  })
  void aLegacyContractIsCancelledOnItsNextScheduledDateIfNotRepaidTheDayBefore(
      Interval interval, int anchorDay, LocalDate period, LocalDate cancelOn) {
    scheduling.registered(new Inputs.Registered(id(), "c-legacy", "org-1", Cohort.LEGACY,
        new BillingCalendar(interval, anchorDay, period.getMonthValue())));
    status("c-legacy", ContractStatus.ACTIVE);
    clock.set(period.atTime(9, 0).atZone(TOKYO).toInstant());
    fail("c-legacy", ChargeKind.SCHEDULED, 0, FailureClass.SOFT_DECLINE, period);
    status("c-legacy", ContractStatus.RETRYING);

    clock.set(cancelOn.minusDays(1).atTime(23, 59).atZone(TOKYO).toInstant());
    assertThat(due.runDue("a")).as("still the deadline day").isZero();
    clock.set(cancelOn.atStartOfDay(TOKYO).toInstant());
    due.runDue("a");

    assertThat(published.events).containsExactly(
        "RepaymentDeadlinePassed " + period + " deadline " + cancelOn.minusDays(1) + " at " + cancelOn.atStartOfDay(TOKYO).toInstant());
  }

  @Test
  void aLegacyContractRepaidBeforeItsDeadlineIsNotCancelledAndNeverRetried() {
    scheduling.registered(new Inputs.Registered(id(), "c-legacy", "org-1", Cohort.LEGACY, new BillingCalendar(Interval.MONTHLY, 1, 1)));
    status("c-legacy", ContractStatus.ACTIVE);
    fail("c-legacy", ChargeKind.SCHEDULED, 0, FailureClass.SOFT_DECLINE);
    status("c-legacy", ContractStatus.RETRYING);

    scheduling.paymentSucceeded(new Inputs.PaymentSucceeded(id(), "c-legacy", "org-1", FEB_1));
    clock.set(tokyo("2027-03-01T00:00"));

    assertThat(due.runDue("a")).isZero();
    assertThat(published.events).isEmpty();
  }

  @Test
  void afterDowntimeEachOverdueJobRunsOnce() {
    currentContractWhoseScheduledChargeFailed("c-1");
    contractInError("c-2");
    scheduling.manualRetryRequested(new Inputs.ManualRetryRequested(id(), "c-2", "org-1", FEB_1, tokyo("2027-02-10T10:00")));

    clock.set(tokyo("2027-04-30T10:00")); // every instance was down for weeks

    assertThat(due.runDue("a")).isEqualTo(2);
    assertThat(due.runDue("a")).isZero();
    assertThat(published.events).filteredOn(e -> e.startsWith("ChargeRequested")).hasSize(2);
  }

  @Test
  void aJobWhoseInstanceDiedIsClaimedAgainWhenItsLeaseRunsOutUnderTheSameAttemptId() {
    currentContractWhoseScheduledChargeFailed("c-1");
    clock.set(tokyo("2027-02-08T10:00"));
    var claimed = jobs.claimDue(clock.instant(), "instance-that-dies", clock.instant(), clock.instant().plus(Duration.ofMinutes(1)), 1);

    assertThat(due.runDue("b")).as("the lease holds").isZero();
    clock.advance(Duration.ofMinutes(2));
    assertThat(due.runDue("b")).isEqualTo(1);

    assertThat(published.events).last().asString().startsWith("ChargeRequested " + claimed.get(0).jobId());
  }

  @Test
  void anInstanceWhoseLeaseRanOutDuringItsBatchDispatchesNoneOfIt() {
    currentContractWhoseScheduledChargeFailed("c-1");
    currentContractWhoseScheduledChargeFailed("c-2");
    clock.set(tokyo("2027-02-08T10:00"));
    // instance a stalls while it reads the views of its batch, longer than its lease: instance b
    // takes the batch meanwhile
    var stalling = new ViewStore() {
      @Override
      public java.util.Optional<ContractView> find(String contractId) {
        return views.find(contractId);
      }

      @Override
      public java.util.Map<String, ContractView> findAll(java.util.Collection<String> contractIds) {
        clock.advance(Duration.ofMinutes(2));
        assertThat(due.runDue("b")).as("a's batch, taken by b").isEqualTo(2);
        return views.findAll(contractIds);
      }

      @Override
      public boolean save(ContractView view, java.util.List<io.tsuzuku.kit.outbox.OutboxMessage> messages) {
        return views.save(view, messages);
      }
    };

    assertThat(new DueJobs(jobs, stalling, published, clock, clock, Duration.ofMinutes(1), TOKYO).runDue("a")).isZero();

    assertThat(published.events).filteredOn(e -> e.startsWith("ChargeRequested"))
        .extracting(e -> e.split(" ")[1])
        .containsExactlyInAnyOrder("c-1:2027-02-01:AUTO_RETRY:1", "c-2:2027-02-01:AUTO_RETRY:1");
  }

  /**
   * A decline that needs a new card (expired, lost, revoked mandate, "do not try again") is never
   * retried on that card, whatever the organisation's policy: the schedule ends at once, ERROR.
   */
  @Test
  void aDeclineThatNeedsANewCardIsNeverRetriedAutomatically() {
    scheduling.registered(new Inputs.Registered(id(), "c-hard", "org-1", Cohort.CURRENT, new BillingCalendar(Interval.MONTHLY, 1, 1)));
    scheduling.registered(new Inputs.Registered(id(), "c-soft", "org-1", Cohort.CURRENT, new BillingCalendar(Interval.MONTHLY, 1, 1)));

    fail("c-hard", ChargeKind.SCHEDULED, 0, FailureClass.HARD_DECLINE);
    fail("c-soft", ChargeKind.SCHEDULED, 0, FailureClass.SOFT_DECLINE);

    assertThat(published.events).containsExactly(
        "RetriesExhausted 2027-02-01 after 0 (card_declined)",
        "RetryScheduled AUTO_RETRY #1 2027-02-01 at " + tokyo("2027-02-08T10:00"));
    assertThat(jobs.pending()).extracting(job -> job.jobId()).containsExactly("c-soft:2027-02-01:AUTO_RETRY:1");
  }

  /**
   * The supporter re-paid with the same card meanwhile and it was declined for good: billing
   * refuses the next automatic retry for a new card, and the schedule ends in ERROR rather than
   * leaving the contract RETRYING with nothing pending.
   */
  @Test
  void anAutomaticRetryRefusedForANewCardEndsTheScheduleInError() {
    currentContractWhoseScheduledChargeFailed("c-1");
    clock.set(tokyo("2027-02-08T10:00"));
    due.runDue("a");
    published.events.clear();

    refuse("c-1", 1, DeclineRules.NEW_CARD_REQUIRED);

    assertThat(published.events).containsExactly("RetriesExhausted 2027-02-01 after 1 (new_card_required)");
    assertThat(jobs.pending()).isEmpty();
  }

  @Test
  void aFailureWhoseViewAnotherWriterChangedFirstSchedulesItsRetryOnceAndSaysSoOnce() {
    scheduling.registered(new Inputs.Registered(id(), "c-1", "org-1", Cohort.CURRENT, new BillingCalendar(Interval.MONTHLY, 1, 1)));
    status("c-1", ContractStatus.ACTIVE);
    var firstSave = new java.util.concurrent.atomic.AtomicBoolean(true);
    var racing = schedulingSavingBy((view, messages) -> {
      if (firstSave.getAndSet(false)) {
        status("c-1", ContractStatus.RETRYING); // the status snapshot is applied meanwhile: this save loses
      }
      return views.save(view, messages);
    });

    racing.paymentFailed(new Inputs.PaymentFailed(id(), "c-1", "org-1", ChargeKind.SCHEDULED, 0, FEB_1,
        FailureClass.SOFT_DECLINE, "card_declined", clock.instant()));

    assertThat(published.events).containsExactly("RetryScheduled AUTO_RETRY #1 2027-02-01 at " + tokyo("2027-02-08T10:00"));
    assertThat(views.find("c-1").orElseThrow().status()).isEqualTo(ContractStatus.RETRYING);
  }

  @Test
  void aFailureWhoseViewCouldNotBeSavedSendsNothingUntilItsRedeliverySavesIt() {
    scheduling.registered(new Inputs.Registered(id(), "c-1", "org-1", Cohort.CURRENT, new BillingCalendar(Interval.MONTHLY, 1, 1)));
    status("c-1", ContractStatus.ACTIVE);
    var failed = new Inputs.PaymentFailed(id(), "c-1", "org-1", ChargeKind.SCHEDULED, 0, FEB_1,
        FailureClass.SOFT_DECLINE, "card_declined", clock.instant());
    var crashing = schedulingSavingBy((view, messages) -> {
      throw new IllegalStateException("the store went away");
    });

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> crashing.paymentFailed(failed));
    assertThat(published.events).as("nothing said of a change not saved").isEmpty();

    scheduling.paymentFailed(failed); // delivered again
    scheduling.paymentFailed(failed);
    assertThat(published.events).containsExactly("RetryScheduled AUTO_RETRY #1 2027-02-01 at " + tokyo("2027-02-08T10:00"));
  }

  @Test
  void everyEventDeliveredTwiceChangesNothingMoreThanOnce() {
    var once = new RetrySchedulingTest();
    once.threeWeeklyRetriesFailAndTheRetriesAreExhausted();

    deliver = step -> {
      step.run();
      step.run();
    };
    threeWeeklyRetriesFailAndTheRetriesAreExhausted();

    assertThat(published.events).isEqualTo(once.published.events);
  }

  /** The use case on the same views, saved by {@code save} instead. */
  private RetryScheduling schedulingSavingBy(
      java.util.function.BiPredicate<ContractView, java.util.List<io.tsuzuku.kit.outbox.OutboxMessage>> save) {
    return new RetryScheduling(new ViewStore() {
      @Override
      public java.util.Optional<ContractView> find(String contractId) {
        return views.find(contractId);
      }

      @Override
      public boolean save(ContractView view, java.util.List<io.tsuzuku.kit.outbox.OutboxMessage> messages) {
        return save.test(view, messages);
      }
    }, jobs, published, new RetryPlanner(policies, TOKYO));
  }

  private void currentContractWhoseScheduledChargeFailed(String contractId) {
    scheduling.registered(new Inputs.Registered(id(), contractId, "org-1", Cohort.CURRENT, new BillingCalendar(Interval.MONTHLY, 1, 1)));
    status(contractId, ContractStatus.ACTIVE);
    fail(contractId, ChargeKind.SCHEDULED, 0, FailureClass.SOFT_DECLINE);
    status(contractId, ContractStatus.RETRYING);
  }

  private void contractInError(String contractId) {
    scheduling.registered(new Inputs.Registered(id(), contractId, "org-1", Cohort.CURRENT, new BillingCalendar(Interval.MONTHLY, 1, 1)));
    var view = views.find(contractId).orElseThrow();
    views.save(view.withOutstanding(FEB_1, FEB_1, 3, id()).withStatus(ContractStatus.ERROR, id()), java.util.List.of());
  }

  private void status(String contractId, ContractStatus status) {
    var event = new Inputs.StatusChanged(id(), contractId, orgOf(contractId), views.find(contractId).map(v -> v.cohort()).orElse(Cohort.CURRENT), status);
    deliver.accept(() -> scheduling.statusChanged(event));
  }

  private void fail(String contractId, ChargeKind kind, int number, FailureClass failureClass) {
    fail(contractId, kind, number, failureClass, FEB_1);
  }

  private void fail(String contractId, ChargeKind kind, int number, FailureClass failureClass, LocalDate period) {
    var event = new Inputs.PaymentFailed(id(), contractId, orgOf(contractId), kind, number, period, failureClass, "card_declined", clock.instant());
    deliver.accept(() -> scheduling.paymentFailed(event));
  }

  private void refuse(String contractId, int number, String code) {
    scheduling.paymentFailed(new Inputs.PaymentFailed(id(), contractId, "org-1", ChargeKind.AUTO_RETRY, number, FEB_1,
        FailureClass.REFUSED, code, clock.instant()));
  }

  private String orgOf(String contractId) {
    return views.find(contractId).map(view -> view.orgId()).orElse("org-1");
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }

  private static Instant tokyo(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(TOKYO).toInstant();
  }

}
