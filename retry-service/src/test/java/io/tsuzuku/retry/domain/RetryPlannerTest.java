package io.tsuzuku.retry.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsuzuku.calendar.BillingCalendar;
import io.tsuzuku.calendar.BillingCalendar.Interval;
import io.tsuzuku.retry.domain.Inputs.ChargeKind;
import io.tsuzuku.retry.domain.RetryPlan.Announcement;
import io.tsuzuku.retry.domain.RetryPlan.JobChange;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retry service's decisions as data: each event gives a view, jobs and announcements, and writes nothing. */
class RetryPlannerTest {

  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
  private static final LocalDate FEB_1 = LocalDate.of(2027, 2, 1);
  private static final Instant FAILED_AT = Instant.parse("2027-02-01T00:30:00Z"); // 09:30 in Tokyo

  private final RetryPlanner planner = new RetryPlanner(new RetryPolicies(RetryPolicy.DEFAULT, Map.of()), TOKYO);

  @Test
  void aFailedScheduledChargeOfACurrentContractPlansTheFirstRetryAWeekLaterAndAnnouncesIt() {
    var plan = planner.paymentFailed(registered(ContractView.Cohort.CURRENT), failed("e-1", ChargeKind.SCHEDULED, 0));

    var retry = RetryJob.of("c-1", "org-1", JobKind.AUTO_RETRY, 1, FEB_1, Instant.parse("2027-02-08T01:00:00Z"));
    assertThat(plan.jobs()).containsExactly(new JobChange.Schedule(retry));
    assertThat(plan.announcements()).containsExactly(new Announcement.RetryScheduled(retry, retry.dueAt()));
    assertThat(plan.view().period()).isEqualTo(FEB_1);
    assertThat(plan.view().failureDay()).isEqualTo(FEB_1);
    assertThat(plan.view().lastRetryNumber()).isEqualTo(1);
    assertThat(plan.view().hasSeen("e-1")).isTrue();
  }

  @Test
  void theThirdFailedRetryPlansNoJobAndAnnouncesThatTheRetriesAreExhausted() {
    var retrying = planner.paymentFailed(registered(ContractView.Cohort.CURRENT), failed("e-1", ChargeKind.SCHEDULED, 0)).view();
    var failure = failed("e-4", ChargeKind.AUTO_RETRY, 3);

    var plan = planner.paymentFailed(retrying, failure);

    assertThat(plan.jobs()).isEmpty();
    assertThat(plan.announcements()).containsExactly(new Announcement.RetriesExhausted("c-1", "org-1", FEB_1, 3, failure));
  }

  @Test
  void aLegacyContractGetsItsDeadlineAndNoRetryEvenWhenAnAdministratorOrdersOne() {
    var plan = planner.paymentFailed(registered(ContractView.Cohort.LEGACY), failed("e-1", ChargeKind.SCHEDULED, 0));
    var manual = planner.manualRetryRequested(plan.view(),
        new Inputs.ManualRetryRequested("e-2", "c-1", "org-1", FEB_1, Instant.parse("2027-03-20T01:00:00Z")));

    assertThat(plan.jobs()).singleElement().satisfies(change ->
        assertThat(((JobChange.Schedule) change).job().kind()).isEqualTo(JobKind.LEGACY_DEADLINE));
    assertThat(plan.announcements()).isEmpty();
    assertThat(manual.jobs()).isEmpty();
    assertThat(manual.announcements()).isEmpty();
  }

  @Test
  void aManualRetryReplacesTheOtherPendingOneAndACancellationWithdrawsEveryJob() {
    var runAt = Instant.parse("2027-03-20T01:00:00Z");
    var manual = planner.manualRetryRequested(registered(ContractView.Cohort.CURRENT),
        new Inputs.ManualRetryRequested("e-2", "c-1", "org-1", FEB_1, runAt));
    var cancelled = planner.statusChanged(manual.view(),
        new Inputs.StatusChanged("e-3", "c-1", "org-1", ContractView.Cohort.CURRENT, ContractStatus.CANCELLED));

    var job = RetryJob.of("c-1", "org-1", JobKind.MANUAL_RETRY, 1, FEB_1, runAt);
    assertThat(manual.jobs()).containsExactly(
        new JobChange.Schedule(job), new JobChange.Withdraw(EnumSet.of(JobKind.MANUAL_RETRY), job.jobId()));
    assertThat(cancelled.jobs()).containsExactly(new JobChange.Withdraw(EnumSet.allOf(JobKind.class), null));
  }

  @Test
  void aRetryRefusedForAPassingReasonCountsAsAFailedRetryAndOneRefusedForGoodEndsTheSchedule() {
    var afterFirst = planner.paymentFailed(registered(ContractView.Cohort.CURRENT), failed("e-1", ChargeKind.SCHEDULED, 0)).view();

    var busy = planner.paymentFailed(afterFirst, refused("e-2", "charge_in_progress"));
    var paid = planner.paymentFailed(afterFirst, refused("e-3", "period_already_paid"));

    assertThat(busy.jobs()).singleElement().satisfies(change ->
        assertThat(((JobChange.Schedule) change).job().number()).isEqualTo(2));
    assertThat(paid.jobs()).isEmpty();
    assertThat(paid.announcements()).isEmpty();
  }

  @Test
  void aDueManualRetryWaitsForTheErrorStatusAndAnyDueJobOfACancelledContractIsSkipped() {
    var manual = RetryJob.of("c-1", "org-1", JobKind.MANUAL_RETRY, 4, FEB_1, FAILED_AT);
    var automatic = RetryJob.of("c-1", "org-1", JobKind.AUTO_RETRY, 1, FEB_1, FAILED_AT);

    assertThat(manual.whenDue(ContractStatus.RETRYING)).isEqualTo(RetryJob.WhenDue.WAIT);
    assertThat(manual.whenDue(ContractStatus.ERROR)).isEqualTo(RetryJob.WhenDue.RUN);
    assertThat(automatic.whenDue(ContractStatus.ACTIVE)).as("the RETRYING snapshot not read yet").isEqualTo(RetryJob.WhenDue.RUN);
    assertThat(automatic.whenDue(ContractStatus.CANCELLED)).isEqualTo(RetryJob.WhenDue.SKIP);
  }

  private ContractView registered(ContractView.Cohort cohort) {
    var empty = new ContractView("c-1", "org-1", null, null, null, null, null, 0, List.of(), 0);
    return planner.registered(empty, new Inputs.Registered("e-0", "c-1", "org-1", cohort, new BillingCalendar(Interval.MONTHLY, 1, 1)))
        .view();
  }

  private static Inputs.PaymentFailed failed(String eventId, ChargeKind kind, int attempt) {
    return new Inputs.PaymentFailed(eventId, "c-1", "org-1", kind, attempt, FEB_1, FailureClass.SOFT_DECLINE, "insufficient_funds",
        FAILED_AT.plus(java.time.Duration.ofDays(7L * attempt)));
  }

  private static Inputs.PaymentFailed refused(String eventId, String code) {
    return new Inputs.PaymentFailed(eventId, "c-1", "org-1", ChargeKind.AUTO_RETRY, 1, FEB_1, FailureClass.REFUSED, code,
        FAILED_AT.plus(java.time.Duration.ofDays(7)));
  }
}
