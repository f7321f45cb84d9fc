package io.tsuzuku.status.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClients;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.status.application.BacktestJob;
import io.tsuzuku.status.application.BacktestPolicy;
import io.tsuzuku.status.application.BacktestResult;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The backtests' slot per organisation and the jobs' round trip, against the MongoDB-wire server. */
@WithEmbeddedInfrastructure
class MongoBacktestJobsIT {

  private static final Instant T0 = Instant.parse("2027-03-01T00:00:00Z");

  @Test
  void oneJobHoldsAnOrganisationsSlotUntilItIsReleasedOrFallsSilent(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var jobs = new MongoBacktestJobs(client.getDatabase("backtests-it-" + UUID.randomUUID()));

      assertThat(jobs.claim("org-1", "a", T0, T0.minusSeconds(120))).isTrue();
      assertThat(jobs.claim("org-1", "b", T0.plusSeconds(60), T0.minusSeconds(60))).isFalse();
      assertThat(jobs.claim("org-2", "c", T0, T0.minusSeconds(120))).isTrue();
      jobs.release("org-1", "someone-else");
      assertThat(jobs.claim("org-1", "b", T0.plusSeconds(60), T0.minusSeconds(60))).isFalse();
      // a's progress, then its instance's heartbeat, keep the slot heard of
      jobs.save(job("a", "org-1", BacktestJob.State.RUNNING, T0.plusSeconds(100), null));
      assertThat(jobs.claim("org-1", "b", T0.plusSeconds(200), T0.plusSeconds(80))).isFalse();
      jobs.touch("org-1", "a", T0.plusSeconds(150));
      assertThat(jobs.find("org-1", "a").orElseThrow().updatedAt()).isEqualTo(T0.plusSeconds(150));
      assertThat(jobs.claim("org-1", "b", T0.plusSeconds(250), T0.plusSeconds(120))).isFalse();
      assertThat(jobs.claim("org-1", "b", T0.plusSeconds(300), T0.plusSeconds(180))).isTrue();
      jobs.release("org-1", "b");
      assertThat(jobs.claim("org-1", "d", T0.plusSeconds(301), T0.plusSeconds(181))).isTrue();
    }
  }

  @Test
  void aJobIsReadBackWithItsPolicyAndAnswerByItsOrganisationOnly(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var jobs = new MongoBacktestJobs(client.getDatabase("backtests-it-" + UUID.randomUUID()));
      var side = new BacktestResult.Side(3, 1, 9000);
      var result = new BacktestResult(LocalDate.of(2026, 10, 1), LocalDate.of(2027, 2, 28), LocalDate.of(2027, 3, 1), policy(), 5,
          List.of(new BacktestResult.MonthEnd(YearMonth.of(2026, 10), side, new BacktestResult.Side(2, 0, 6000))), side, side,
          List.of(new BacktestResult.Assumption("A_CODE", "an assumption")));
      var done = job("j", "org-1", BacktestJob.State.DONE, T0, result);
      jobs.save(done);

      assertThat(jobs.find("org-1", "j")).contains(done);
      assertThat(jobs.find("org-2", "j")).isEmpty();
      jobs.touch("org-1", "j", T0.plusSeconds(999));
      assertThat(jobs.find("org-1", "j")).as("a job done is not touched").contains(done);
    }
  }

  private static BacktestPolicy policy() {
    return new BacktestPolicy(false, 2, 5, true, List.of(1, 25), 6);
  }

  private static BacktestJob job(String id, String orgId, BacktestJob.State state, Instant at, BacktestResult result) {
    return new BacktestJob(id, orgId, state, LocalDate.of(2026, 10, 1), LocalDate.of(2027, 2, 28), policy(), T0, at, 7, result,
        null);
  }
}
