package io.tsuzuku.status.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.testkit.WithEmbeddedInfrastructure;
import io.tsuzuku.status.application.ContractFilter;
import io.tsuzuku.status.application.HistoryEntry;
import io.tsuzuku.status.application.StoredContract;
import io.tsuzuku.status.application.Summary.Figure;
import io.tsuzuku.status.domain.Cohort;
import io.tsuzuku.status.domain.Contract;
import io.tsuzuku.status.domain.Interval;
import io.tsuzuku.status.domain.Outcome.Result;
import io.tsuzuku.status.domain.PendingManualRetry;
import io.tsuzuku.status.domain.Status;
import io.tsuzuku.status.domain.Supporter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The summary's one aggregation and the list's filters, against the MongoDB-wire server. */
@WithEmbeddedInfrastructure
class MongoReportsIT {

  private static final Instant T0 = Instant.parse("2027-03-01T00:00:00Z");
  private static final LocalDate TODAY = LocalDate.of(2027, 3, 1);

  private final List<Contract> saved = new ArrayList<>();

  @Test
  void theFailureLinesOfAnOrganisationReachTheAnalysisOneContractAtATimeInTimeOrder(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var database = client.getDatabase("reports-it-" + UUID.randomUUID());
      var history = new MongoContractHistory(database);
      // written out of order, with lines the analysis does not need
      history.append(line("c-b", "org-1", days(9), "RETRIES_EXHAUSTED", Result.APPLIED, Status.RETRYING, Status.ERROR, null));
      history.append(line("c-a", "org-1", days(8), "PAYMENT_SUCCEEDED", Result.APPLIED, Status.RETRYING, Status.ACTIVE, "AUTO_RETRY"));
      history.append(line("c-a", "org-1", days(1), "SCHEDULED_CHARGE_FAILED", Result.APPLIED, Status.ACTIVE, Status.RETRYING, null));
      history.append(line("c-a", "org-1", days(4), "RETRY_SCHEDULED", Result.APPLIED, Status.RETRYING, Status.RETRYING, null));
      history.append(line("c-a", "org-1", days(30), "PAYMENT_SUCCEEDED", Result.APPLIED, Status.ACTIVE, Status.ACTIVE, "SCHEDULED"));
      history.append(line("c-b", "org-1", days(2), "SCHEDULED_CHARGE_FAILED", Result.APPLIED, Status.ACTIVE, Status.RETRYING, null));
      history.append(line("c-b", "org-1", days(3), "PAYMENT_SUCCEEDED", Result.REJECTED, Status.RETRYING, Status.RETRYING, "MANUAL_RETRY"));
      history.append(line("c-b", "org-1", days(-1), "CANCELLED_BY_SUPPORTER", Result.APPLIED, Status.RETRYING, Status.CANCELLED, null));
      history.append(line("c-c", "org-2", days(2), "SCHEDULED_CHARGE_FAILED", Result.APPLIED, Status.ACTIVE, Status.RETRYING, null));
      var handed = new ArrayList<List<String>>();

      new MongoReports(database).eachContract("org-1", T0, lines -> handed.add(lines.stream()
          .map(h -> h.contractId() + " " + h.trigger() + " " + h.path() + " " + h.declineCode() + "/" + h.declineClass() + " " + h.cohort())
          .toList()));

      assertThat(handed).containsExactly(
          List.of("c-a SCHEDULED_CHARGE_FAILED null insufficient_funds/SOFT_DECLINE LEGACY",
              "c-a PAYMENT_SUCCEEDED AUTO_RETRY insufficient_funds/SOFT_DECLINE LEGACY"),
          List.of("c-b SCHEDULED_CHARGE_FAILED null insufficient_funds/SOFT_DECLINE LEGACY",
              "c-b RETRIES_EXHAUSTED null insufficient_funds/SOFT_DECLINE LEGACY"));
    }
  }

  private static HistoryEntry line(
      String contractId, String orgId, Instant at, String trigger, Result result, Status from, Status to, String path) {
    return new HistoryEntry(contractId + ":" + trigger + ":" + at, contractId, orgId, "e-" + at, at, trigger, "billing-service",
        result, from, to, null, 3000, path, "insufficient_funds", "SOFT_DECLINE", Cohort.LEGACY.name(), "MONTHLY", 1);
  }

  @Test
  void oneAggregationCountsByStatusByErrorAgeAndByManualRetryDateInYenPerMonth(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var database = client.getDatabase("reports-it-" + UUID.randomUUID());
      aPopulation(database);

      var counts = new MongoReports(database).count("org-1",
          List.of(days(-365), days(-180), days(-90), days(-30)), TODAY, TODAY.plusDays(13));

      assertThat(counts.byStatus()).isEqualTo(Map.of(
          Status.ACTIVE, new Figure(2, 3000 + 1000),
          Status.RETRYING, new Figure(1, 3000),
          Status.ERROR, new Figure(4, 4 * 3000),
          Status.CANCELLED, new Figure(1, 3000)));
      assertThat(counts.errorBands()).containsExactly(
          new Figure(1, 3000), Figure.NONE, new Figure(1, 3000), Figure.NONE, new Figure(2, 6000));
      assertThat(counts.manualRetries()).isEqualTo(Map.of(TODAY.plusDays(3), new Figure(1, 3000)));
    }
  }

  @Test
  void theListAnswersEveryFilterAsTheFilterItselfSays(Endpoints endpoints) {
    try (var client = MongoClients.create(endpoints.mongoUri())) {
      var database = client.getDatabase("reports-it-" + UUID.randomUUID());
      aPopulation(database);
      var search = new MongoContractSearch(database);
      var filters = List.of(
          ContractFilter.inStatus(Status.ERROR),
          new ContractFilter(Status.ERROR, days(-90), days(-30), null, null, null),
          new ContractFilter(null, days(-400), null, null, null, null),
          new ContractFilter(null, null, null, null, null, TODAY.plusDays(3)),
          new ContractFilter(null, null, null, null, null, TODAY.plusDays(4)),
          new ContractFilter(null, null, null, null, Cohort.LEGACY, null));

      for (var filter : filters) {
        assertThat(search.search("org-1", filter, null, 100)).as(filter.toString())
            .extracting(Contract::contractId)
            .containsExactlyElementsOf(saved.stream()
                .filter(c -> c.orgId().equals("org-1") && filter.matches(c))
                .map(Contract::contractId).sorted().toList());
      }
    }
  }

  private void aPopulation(MongoDatabase database) {
    var store = new MongoContractStore(database);
    save(store, "active-monthly", "org-1", Interval.MONTHLY, b -> {});
    save(store, "active-yearly", "org-1", Interval.YEARLY, b -> {}); // ¥12,000 a year: ¥1,000 a month
    save(store, "retrying", "org-1", Interval.MONTHLY, b -> b.status = Status.RETRYING);
    save(store, "error-2-years", "org-1", Interval.MONTHLY, inError(-730, null));
    save(store, "error-100-days", "org-1", Interval.MONTHLY, inError(-100, null));
    save(store, "error-10-days", "org-1", Interval.MONTHLY, inError(-10, TODAY.plusDays(3)));
    save(store, "error-today", "org-1", Interval.MONTHLY, inError(0, TODAY.plusDays(20)));
    save(store, "cancelled", "org-1", Interval.MONTHLY, b -> b.status = Status.CANCELLED);
    save(store, "elsewhere", "org-2", Interval.MONTHLY, inError(-10, TODAY.plusDays(3)));
  }

  /** The parts of a contract these queries read. */
  private static final class Parts {
    Status status = Status.ACTIVE;
    Instant errorSince;
    LocalDate manualRetryOn;
    Cohort cohort = Cohort.CURRENT;
  }

  private static Consumer<Parts> inError(int days, LocalDate manualRetryOn) {
    return parts -> {
      parts.status = Status.ERROR;
      parts.errorSince = days(days).plusSeconds(3600);
      parts.manualRetryOn = manualRetryOn;
    };
  }

  private void save(MongoContractStore store, String id, String orgId, Interval interval, Consumer<Parts> shape) {
    var parts = new Parts();
    shape.accept(parts);
    if (id.startsWith("error-2")) {
      parts.cohort = Cohort.LEGACY;
    }
    var amount = interval == Interval.YEARLY ? 12_000 : 3000;
    var contract = new Contract(id, orgId, parts.cohort, new Supporter("s", "n", "e@example.org"), amount, interval,
        parts.status, T0, parts.errorSince, null, null, null, 0, List.of(), null,
        parts.manualRetryOn == null ? null
            : new PendingManualRetry(parts.manualRetryOn, parts.manualRetryOn.atStartOfDay().toInstant(java.time.ZoneOffset.UTC), "admin"),
        null, null, 0, null, null, 1);
    assertThat(store.save(new StoredContract(contract, List.of(), List.of(), List.of(), 0))).isTrue();
    saved.add(contract);
  }

  private static Instant days(int days) {
    return T0.plusSeconds(86_400L * days);
  }
}
