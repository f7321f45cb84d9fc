package io.tsuzuku.billing.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClients;
import io.tsuzuku.billing.application.port.BillingRunLog.Resume;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** A day's billing run: one instance at a time runs it, another resumes it where a lost one stopped, a finished day runs no more. */
@WithEmbeddedInfrastructure
class MongoBillingRunsIT {

  private static final LocalDate DAY = LocalDate.of(2027, 3, 1);
  private static final Instant NINE = Instant.parse("2027-03-01T00:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);

  @Test
  void oneInstanceRunsADayAnotherResumesItOnceTheLeaseRanOutAndTheFirstCanNoLongerWriteItsProgress(Endpoints endpoints)
      throws Exception {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var runs = new MongoBillingRuns(client.getDatabase("billing-runs-it-" + UUID.randomUUID()));

      var owners = List.of("a", "b", "c", "d");
      var racing = new ArrayList<Callable<Optional<Resume>>>();
      for (var owner : owners) {
        racing.add(() -> runs.claim(DAY, owner, NINE, LEASE));
      }
      var pool = Executors.newFixedThreadPool(owners.size());
      var winners = new ArrayList<String>();
      var answers = pool.invokeAll(racing);
      for (int i = 0; i < owners.size(); i++) {
        if (answers.get(i).get().isPresent()) {
          winners.add(owners.get(i));
        }
      }
      pool.shutdown();
      assertThat(winners).as("instances racing for the day's run").hasSize(1);

      var holder = winners.get(0);
      var other = owners.stream().filter(owner -> !owner.equals(holder)).findFirst().orElseThrow();
      assertThat(runs.claim(DAY, holder, NINE, LEASE)).as("the holder claims again").contains(new Resume(null));
      assertThat(runs.renew(DAY, holder, "c-0100", NINE.plusSeconds(10), LEASE)).isTrue();
      assertThat(runs.claim(DAY, other, NINE.plusSeconds(20), LEASE)).as("while the lease runs").isEmpty();

      var later = NINE.plusSeconds(10).plus(LEASE).plusSeconds(1);
      assertThat(runs.claim(DAY, other, later, LEASE)).as("after the lease ran out, from the progress").contains(new Resume("c-0100"));
      assertThat(runs.renew(DAY, holder, "c-0200", later, LEASE)).as("the first instance lost the day").isFalse();
      assertThat(runs.renew(DAY, other, "c-0300", later.plusSeconds(5), LEASE)).isTrue();

      runs.finish(DAY, other);
      assertThat(runs.claim(DAY, holder, later.plus(Duration.ofHours(1)), LEASE)).as("a finished day").isEmpty();
      assertThat(runs.claim(DAY.plusDays(1), holder, later, LEASE)).as("the next day").contains(new Resume(null));
    }
  }
}
